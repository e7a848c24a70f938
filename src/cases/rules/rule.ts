import { AppError } from '../../core/errors.js';
import type { Principal } from '../../core/scope.js';
import type { CampaignRecord } from '../../campaigns/index.js';
import type { MemberRecord } from '../../members/index.js';
import type { ProgramData, ProgramRules } from '../../programs/index.js';
import type { CaseRecord } from '../cases.repository.js';
import type { ActionData, Transition } from '../workflow.js';
import type { MemberBenefitsRecord } from './ledger.js';

export type { ActionData } from '../workflow.js';

/** Everything a step's rules and reservations see: read once per step (transitions.service.ts). */
export interface CheckContext {
  record: CaseRecord;
  program: ProgramData;
  rules: ProgramRules;
  campaign: CampaignRecord | null;
  /** Loaded when a rule of the step needs `member`. */
  member: MemberRecord | null;
  /** Loaded when a rule of the step needs `memberBenefits` and the province caps the program per member. */
  benefits?: MemberBenefitsRecord | null;
  principal: Principal;
  body: Record<string, unknown>;
  transition: Transition;
  /**
   * When the step began, for a single step under its run (step-runs.ts): what its reservations write, its history entry
   * and its times (`verifiedAt`, `approvedAt`…) carry it.
   */
  at?: Date;
}

/** One rule of SPEC §4–5: what it reads, and a check that throws the problem when the step breaks it. */
export interface Rule {
  needs?: readonly ActionData[];
  check(ctx: CheckContext): void | Promise<void>;
}

/** 422: the request is understood but the case does not meet a rule of the program. */
export class RuleError extends AppError {
  constructor(
    code: 'NOT_ELIGIBLE' | 'AMOUNT_EXCEEDS_CAP' | 'MISSING_DOCUMENTS',
    detail: string,
    extra: Record<string, unknown> = {},
  ) {
    super(422, code, detail, extra);
  }
}
