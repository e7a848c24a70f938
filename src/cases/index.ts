export {
  DOCUMENT_UPLOADERS,
  DOCUMENT_DELETABLE,
  FINAL_WITHOUT_BENEFIT,
  MONEY_MOVES,
  STATUS_NAMES,
  transitionOf,
  type CaseAction,
  type CaseStatus,
} from './workflow.js';
export { signerFields } from './signer-fields.js';
export { beginAuditedWrite, dropAuditedWrite, endAuditedWrite, unfenced } from './audited-writes.js';
export {
  caseEventSubscribers,
  emitCaseEvent,
  onCaseEvent,
  type CaseEventHandler,
  type CaseEventName,
  type CaseEvents,
  type SettledEntry,
} from './lifecycle-events.js';
export { caseRoutes } from './cases.routes.js';
export {
  campaignFor,
  caseInScope,
  getCaseInScope,
  programContextOf,
  subtypeFor,
  type ProgramContext,
} from './case-context.js';
export { casesRepository, type CaseRecord, type CaseDocument } from './cases.repository.js';
export { claimKeyOf, releaseUnrecordedClaims, takeClaimsAtOnce } from './claims.js';
export { createCase, createListDrafts, staleRevision } from './cases.service.js';
export { performAction, recordExclusion, standsAtStep, type ActionOptions } from './transitions.service.js';
export { finishInterruptedSteps, type StepRound } from './interrupted-steps.js';
export {
  applyStepsAtOnce,
  claimsGivenBack,
  fenceSteps,
  followApprovalsAtOnce,
  followStepsAtOnce,
  planStep,
  stepOf,
  stepsAtOnce,
  type PlannedStep,
} from './steps-at-once.js';
export { documentTypeName, missingDocumentTypes } from '../core/shared/documents-catalogue.js';
export { caseStatusesQuery } from './cases.schemas.js';
export {
  backfillMemberBenefits,
  capExceededText,
  capOfRules,
  receivedByMembers,
  type MemberCap,
} from './rules/member-cap.js';
export { memberBenefitsMigration } from './rules/member-benefits-migration.js';
export { creationAuditDueMigration } from './creation-audit-migration.js';
export {
  applyPayment,
  applyPaymentsAtOnce,
  applyReversal,
  ensureTranches,
  fencePayments,
  planTranches,
  withPlan,
  type CaseMovement,
  type PlannedCase,
  type Tranche,
} from './money-moves.js';
