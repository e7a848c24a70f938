import Joi from 'joi';
import type { Role } from '../core/shared/roles.js';
import { fundAllocationsSchema } from '../funds/index.js';
import { DELETABLE_STATUSES, UPLOADERS_BY_STATUS } from '../core/shared/document-access.js';
import { signerFields } from './signer-fields.js';
import { CASE_STATUS_NAMES } from '../core/shared/status-names.js';
import { PAYABLE_STATUSES, REVERSIBLE_STATUSES, statusForPaid, type MoneyStatus } from '../core/shared/money-moves.js';

/**
 * The case lifecycle of SPEC §5 and §7 as one table: for each move, the statuses it starts from and where it leads,
 * who may make it, what the body carries, the rules it checks (rules.ts), the reservations it takes before the case
 * changes and gives back if the change does not stand (reservations.ts), what it releases once it stood, and the
 * events that follow it (lifecycle-events.ts). The service, the routes (and so the OpenAPI document),
 * `allowedActions` and the tests all read this table; nothing else decides whether a move is allowed.
 */
export const CASE_STATUSES = [
  'draft',
  'submitted',
  'returned',
  'verified',
  'approved',
  'partially_disbursed',
  'disbursed',
  'closed',
  'rejected',
  'revoked',
  'cancelled',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_ACTIONS = ['submit', 'verify', 'return', 'reject', 'approve', 'revoke', 'withdraw', 'close'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** Checks the service runs before a transition (cases/checks.ts holds each one as a small rule). */
export type CheckName =
  | 'programActive'
  | 'membershipMonths'
  | 'campaignOpen'
  | 'requestedWithinCap'
  | 'recommendedWithinCap'
  | 'approvedWithinCap'
  | 'approvedWithinRecommendation'
  | 'stageDocuments'
  | 'verificationDone'
  | 'fourEyes'
  | 'nothingPaid'
  | 'memberCap';

/**
 * Something a move takes before the case changes, so that racing moves on any number of instances cannot all take
 * it: the duplicate-beneficiary claim (claims.ts), the fund commitment (funds) and the member's share of a program's
 * cap over years (rules/member-cap.ts). Each has its compensation, run when the case's update does not stand, and
 * its release, run after a move that ends the benefit (reservations.ts).
 */
export type ReservationName = 'duplicateClaim' | 'fundCommitment' | 'memberCap';

/** Lifecycle events a move emits last, once everything inside the case followed (lifecycle-events.ts). */
export type MoveEvent = 'case.approved' | 'case.revoked';

/** What a move or a rule reads besides the case, its program and the caller; a step loads each once. */
export type ActionData = 'member' | 'memberBenefits';

/** Checks that depend only on the case and the caller, so `allowedActions` can answer them without side effects. */
export const CALLER_CHECKS: readonly CheckName[] = ['verificationDone', 'fourEyes', 'nothingPaid'];

export interface Transition {
  action: CaseAction;
  from: readonly CaseStatus[];
  to: CaseStatus;
  roles: readonly Role[];
  checks: readonly CheckName[];
  /** What the move itself reads besides what its rules declare (`submit` snapshots the member on the case). */
  reads?: readonly ActionData[];
  /** Taken in this order before the case changes; given back in reverse order when the change does not stand. */
  reserves?: readonly ReservationName[];
  /** Given back once the change stood. */
  releases?: readonly ReservationName[];
  /** The campaign's approved count and total follow the move (`+1` approve, `-1` revoke). */
  campaignTotals?: 1 | -1;
  emits?: readonly MoveEvent[];
  /** The document stage whose required documents `stageDocuments` checks. */
  documentStage?: 'submit' | 'verify' | 'close';
  body: Joi.ObjectSchema;
  summary: string;
}

const revision = Joi.number().integer().min(1).description('Phiên bản hồ sơ người dùng đã xem (hoặc header If-Match)');
const note = Joi.string().trim().max(2000).allow('');
const reason = Joi.string().trim().min(5).max(2000).required().description('Lý do (bắt buộc)');
const amount = Joi.number().integer().min(1).max(10_000_000_000);

export const TRANSITIONS: readonly Transition[] = [
  {
    action: 'submit',
    from: ['draft', 'returned'],
    to: 'submitted',
    roles: ['grassroots_officer'],
    checks: ['programActive', 'membershipMonths', 'campaignOpen', 'requestedWithinCap', 'memberCap', 'stageDocuments'],
    documentStage: 'submit',
    reads: ['member'],
    reserves: ['duplicateClaim'],
    body: Joi.object({ revision, note }),
    summary: 'Gửi hồ sơ lên công đoàn cấp trên (kiểm tra điều kiện, giấy tờ, mức tối đa và trùng đối tượng)',
  },
  {
    action: 'verify',
    from: ['submitted'],
    to: 'verified',
    roles: ['verifier'],
    checks: ['recommendedWithinCap', 'stageDocuments'],
    documentStage: 'verify',
    body: Joi.object({
      revision,
      recommendedAmount: amount.required().description('Số tiền đề nghị hỗ trợ, VND'),
      note,
    }),
    summary: 'Thẩm định hồ sơ và đề nghị số tiền',
  },
  {
    action: 'return',
    from: ['submitted', 'verified'],
    to: 'returned',
    roles: ['verifier', 'approver'],
    checks: [],
    body: Joi.object({ revision, reason }),
    summary: 'Trả lại hồ sơ để công đoàn cơ sở bổ sung, sửa',
  },
  {
    action: 'reject',
    from: ['submitted', 'verified'],
    to: 'rejected',
    roles: ['verifier', 'approver'],
    checks: [],
    releases: ['duplicateClaim'],
    body: Joi.object({ revision, reason }),
    summary: 'Từ chối hồ sơ (kết thúc)',
  },
  {
    action: 'approve',
    from: ['verified', 'submitted'],
    to: 'approved',
    roles: ['approver'],
    checks: ['verificationDone', 'fourEyes', 'approvedWithinCap', 'approvedWithinRecommendation', 'memberCap'],
    body: Joi.object({
      revision,
      approvedAmount: amount.required().description('Số tiền phê duyệt, VND; không vượt mức tối đa'),
      amountReason: Joi.string()
        .trim()
        .min(5)
        .max(2000)
        .description('Bắt buộc khi số tiền phê duyệt lớn hơn số tiền đề nghị'),
      fundAllocations: fundAllocationsSchema.required(),
      note,
      // The decision issued with the approval (SPEC §6): who signs it and its date, each with a default.
      ...signerFields,
    }),
    reserves: ['fundCommitment', 'memberCap'],
    campaignTotals: 1,
    emits: ['case.approved'],
    summary: 'Phê duyệt hồ sơ (từ "verified", hoặc từ "submitted" khi chương trình không yêu cầu thẩm định)',
  },
  {
    action: 'revoke',
    from: ['approved'],
    to: 'revoked',
    roles: ['approver'],
    checks: ['nothingPaid'],
    releases: ['duplicateClaim', 'fundCommitment', 'memberCap'],
    campaignTotals: -1,
    emits: ['case.revoked'],
    body: Joi.object({ revision, reason }),
    summary: 'Thu hồi phê duyệt khi chưa chi tiền',
  },
  {
    action: 'withdraw',
    from: ['draft', 'submitted', 'returned'],
    to: 'cancelled',
    roles: ['grassroots_officer'],
    checks: [],
    releases: ['duplicateClaim'],
    body: Joi.object({ revision, note }),
    summary: 'Rút hồ sơ (kết thúc)',
  },
  {
    action: 'close',
    from: ['disbursed'],
    to: 'closed',
    roles: ['approver', 'accountant'],
    checks: ['stageDocuments'],
    documentStage: 'close',
    body: Joi.object({ revision, note }),
    summary: 'Đóng hồ sơ sau khi đã chi đủ (cần giấy tờ kết thúc của chương trình, ví dụ biên bản bàn giao)',
  },
];

/**
 * The moves money makes (SPEC §7), in the same table: a payment or a reversal is recorded by one conditional update
 * whose filter carries every bound (money-moves.ts):
 * - the paid total stays within the approved amount;
 * - a tranche takes at most its own amount, and only once the tranches before it are fully paid;
 * - a fund gives at most what the case's allocation from it has not yet paid; a reversal never takes back more than
 *   its tranche and its allocation hold.
 * Where it leads follows from what stays paid (`statusForPaid`); the event follows once the entry is settled.
 */
export interface MoneyMove {
  move: 'disburse' | 'reverse';
  from: readonly CaseStatus[];
  roles: readonly Role[];
  to: (approvedAmount: number, paidAfter: number) => MoneyStatus;
  event: 'payment.settled' | 'payment.reversed';
}

export const MONEY_MOVES: Readonly<Record<MoneyMove['move'], MoneyMove>> = {
  disburse: {
    move: 'disburse',
    from: PAYABLE_STATUSES,
    roles: ['accountant'],
    to: statusForPaid,
    event: 'payment.settled',
  },
  reverse: {
    move: 'reverse',
    from: REVERSIBLE_STATUSES,
    roles: ['accountant'],
    to: statusForPaid,
    event: 'payment.reversed',
  },
};

export function transitionOf(action: CaseAction): Transition {
  return TRANSITIONS.find((t) => t.action === action)!;
}

/** Statuses in which the case itself (amounts, situation, details) can be edited. */
export const EDITABLE_STATUSES: readonly CaseStatus[] = ['draft', 'returned'];

/** Statuses that still hold a claim on the beneficiary (open or paid). */
export const FINAL_WITHOUT_BENEFIT: readonly CaseStatus[] = ['rejected', 'revoked', 'cancelled'];

/** Who may add documents at each status (document-access.ts; checked here to name every status). */
export const DOCUMENT_UPLOADERS: Readonly<Record<CaseStatus, readonly Role[]>> = UPLOADERS_BY_STATUS;

/** Documents of a case past `approved` cannot be deleted (SPEC §9). */
export const DOCUMENT_DELETABLE: readonly CaseStatus[] = DELETABLE_STATUSES;

export const STATUS_NAMES: Readonly<Record<CaseStatus, string>> = CASE_STATUS_NAMES;
