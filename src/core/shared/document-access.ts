import type { Role } from './roles.js';

/**
 * Who may add papers to a case at each status (SPEC §9): the union while it prepares the case, the verifier
 * with the site-survey minutes, then the province and the union for payment and handover papers; and the
 * statuses in which papers may still be removed (none past `approved`). Plain data with no imports, so the
 * web pages offer exactly what the API accepts from this one table; workflow.ts types it by status.
 */
export const UPLOADERS_BY_STATUS = {
  draft: ['grassroots_officer'],
  returned: ['grassroots_officer'],
  submitted: ['verifier'],
  verified: ['verifier', 'approver'],
  approved: ['grassroots_officer', 'accountant', 'approver'],
  partially_disbursed: ['grassroots_officer', 'accountant', 'approver'],
  disbursed: ['grassroots_officer', 'accountant', 'approver'],
  closed: [],
  rejected: [],
  revoked: [],
  cancelled: [],
} as const satisfies Record<string, readonly Role[]>;

export const DELETABLE_STATUSES = ['draft', 'returned', 'submitted', 'verified'] as const;
