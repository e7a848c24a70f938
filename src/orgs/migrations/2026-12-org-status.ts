import type { Db } from 'mongodb';

/**
 * Organisations written before reorganisation existed get `status` and an empty `history` (SPEC §2, §13).
 * `active: false` (an organisation an admin set inactive) maps to `dissolved`: both mean that nobody acts
 * in it any more, and `status` is what the reorganisation checks read. Idempotent: only documents without
 * `status` are touched.
 */
export const orgStatus = {
  id: '2026-12-org-status',
  description: 'orgs: status (active/dissolved) from active, empty history',
  up: async (db: Db): Promise<void> => {
    const orgs = db.collection('orgs');
    await orgs.updateMany({ status: { $exists: false }, active: false }, { $set: { status: 'dissolved' } });
    await orgs.updateMany({ status: { $exists: false } }, { $set: { status: 'active' } });
    await orgs.updateMany({ history: { $exists: false } }, { $set: { history: [] } });
  },
};
