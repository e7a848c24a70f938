import { backfillMemberBenefits } from './member-cap.js';

/**
 * Databases written before the member ledger existed: every approval that stands gets its entry, so that a cap a
 * province sets counts what was approved before (rules/member-cap.ts). Idempotent and resumable per case.
 */
export const memberBenefitsMigration = {
  id: '2026-12-member-benefits',
  description: 'member_benefits: one entry per approval that stands, from the cases',
  up: async (): Promise<void> => backfillMemberBenefits(),
};
