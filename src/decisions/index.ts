export { decisionRoutes } from './decisions.routes.js';
export { verifyResponse } from './decisions.schemas.js';
export { configureDecisions } from './decisions.settings.js';
export { issueBatchDecision, issueDecisionForCase, revokeDecisionOfCase } from './issue.service.js';
export { registerDecisionEffects } from './effects.js';
export { getDecisionInScope } from './decisions.service.js';
export { decisionsRepository, type DecisionRecord } from './decisions.repository.js';
export { loadTemplates, TemplateError } from './templates.js';
export {
  decisionPdfStream,
  renderDecisionPdf,
  renderBlankPage,
  type DecisionPrint,
  type AnnexRow,
} from './pdf/render.js';
export type { SignerInput } from './decision-draft.js';
export {
  decisionsIssuedBy,
  verificationOf,
  verifyDecisionById,
  verifyDecisionByNumber,
  verifyDecisionByToken,
  type PublicDecision,
  type Verification,
} from './verification.service.js';
export { migration as verifyTokensMigration } from './migrations/verify-tokens.js';
