import { randomUUID } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import type { Db } from 'mongodb';
import type { AuditInput } from '../../src/audit/index.js';

/**
 * A database of its own on the test engine: the shared test database is never wiped and other files count
 * its audit entries, so tampering happens only here.
 */
export function freshAuditDb(): Db {
  return mongoose.connection.getClient().db(`mai-am-audit-${randomUUID().slice(0, 8)}`);
}

/** An entry like the service writes, with nested values of every stored kind (dates, ids, numbers, null). */
export function sampleInput(n: number, actor = 'test'): AuditInput {
  return {
    action: 'case.verify',
    entity: 'case',
    entityId: new Types.ObjectId().toHexString(),
    actor: { userId: new Types.ObjectId().toHexString(), name: `Cán bộ ${actor} số ${n}`, requestId: randomUUID() },
    orgPath: [new Types.ObjectId(), new Types.ObjectId().toHexString()],
    details: {
      n,
      amount: 50_000_000,
      ratio: 0.25,
      note: 'Đã khảo sát thực tế',
      at: new Date(),
      tags: ['a', { z: 1, a: null }],
      skipped: undefined,
    },
  };
}

export async function chainedEntries(db: Db) {
  return db.collection('audit_log').find({}).sort({ seq: 1 }).toArray();
}

/**
 * Waits until the head document names the chain's last entry: an instance moves it at most every 200 ms
 * (writer.ts), so a test that deletes the newest entries first lets it catch up, as it does within 200 ms in use.
 */
export async function headSettled(db: Db): Promise<void> {
  const last = await db.collection('audit_log').find({}).sort({ seq: -1 }).limit(1).next();
  for (let waited = 0; waited < 5_000; waited += 20) {
    const head = await db.collection<{ _id: string; seq: number }>('audit_chain_head').findOne({ _id: 'head' });
    if (head && head.seq === last?.seq) return;
    await new Promise((done) => setTimeout(done, 20));
  }
  throw new Error(`the head document did not reach seq ${String(last?.seq)} within 5 s`);
}
