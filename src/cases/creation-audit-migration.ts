import type { Db } from 'mongodb';

/** Cases converted per bulk write. */
const AT_ONCE = 500;
/** MongoDB's codes for a collection and for an index that do not exist. */
const NAMESPACE_NOT_FOUND = 26;
const INDEX_NOT_FOUND = 27;
/** The former flag's index: every start of the version that set the flag made it (core/db/connection.ts). */
const FORMER_INDEX = 'creationAuditOwed_1';

/**
 * Databases written while a case's creation was flagged `creationAuditOwed: true` under a secondary index (2026-12-07):
 * the embedded engine ignores such an index, so the round that looks for the flag every minute read every case (70 s
 * at 1,000,000 cases on the H2 file). Each flagged case gets `creationAuditDue` (its id, under a unique sparse index the
 * round's query uses: cases.model.ts) and loses the old flag, then the old index goes. The one read of every case for
 * the old flag happens here, once (72.6 s at 1,000,000 cases on the H2 file), and only where the former index exists:
 * a database that never ran that version, or whose former index is gone, had no flag to convert. Idempotent: a case
 * already converted has no old flag, and a missing index is fine.
 */
export const creationAuditDueMigration = {
  id: '2026-12-creation-audit-due',
  description:
    'cases: creationAuditOwed (a flag under a secondary index) becomes creationAuditDue (the case id, unique sparse index)',
  up: async (db: Db): Promise<void> => {
    const cases = db.collection('cases');
    // A database without cases yet has no such index (nor any case).
    const indexes = await cases.indexes().catch((error: unknown) => {
      if ((error as { code?: number }).code === NAMESPACE_NOT_FOUND) return [];
      throw error;
    });
    if (!indexes.some((index) => index.name === FORMER_INDEX)) return;
    const flagged = await cases.find({ creationAuditOwed: true }, { projection: { _id: 1 } }).toArray();
    for (let at = 0; at < flagged.length; at += AT_ONCE) {
      await cases.bulkWrite(
        flagged.slice(at, at + AT_ONCE).map(({ _id }) => ({
          updateOne: {
            filter: { _id },
            update: { $set: { creationAuditDue: String(_id) }, $unset: { creationAuditOwed: '' } },
          },
        })),
        { ordered: false },
      );
    }
    await cases.dropIndex(FORMER_INDEX).catch((error: unknown) => {
      const { code, codeName, message } = error as { code?: number; codeName?: string; message?: string };
      if (code === INDEX_NOT_FOUND || codeName === 'IndexNotFound' || /index not found/i.test(message ?? '')) return;
      throw error;
    });
  },
};
