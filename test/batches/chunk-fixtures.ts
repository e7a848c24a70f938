/**
 * Helpers of the tests of list actions taken a chunk at a time (list-approval-chunks, list-steps-chunks): the
 * principal a job runs as, and the report counters of the grassroots union, to compare the single way with the bulk
 * way.
 */
import type { CaseWorld } from '../cases/case-fixtures.js';
import type { Principal } from '../../src/core/scope.js';
import type { Role } from '../../src/core/shared/roles.js';
import mongoose from 'mongoose';
import { currentBucketCollection } from '../../src/reports/index.js';
import { User } from '../../src/users/users.model.js';

/** A user of the world as a job runs: its principal and actor, as the runner makes them from the stored user. */
export async function staffOf(world: CaseWorld, session: keyof CaseWorld['sessions'], role: Role = session as Role) {
  const user = (await User.findById(world.sessions[session].user.id).lean())!;
  const principal: Principal = {
    userId: String(user._id),
    username: user.username,
    fullName: user.fullName,
    orgId: String(user.orgId),
    orgPath: user.orgPath.map(String),
    roles: [role],
  };
  return { principal, actor: { userId: principal.userId, name: principal.fullName, requestId: 'test' } };
}

/** The counters of a report bucket that the list tests add up. */
type BucketSums = Partial<
  Record<'received' | 'approvedCount' | 'approvedAmount' | 'fundApprovedCount' | 'fundApprovedAmount', number>
> & {
  open?: Record<string, number>;
};

/**
 * The report counters of the grassroots union's buckets, added up (approvals, funds, open cases), from the
 * generation read now (an earlier test may have rebuilt the totals into a new one).
 */
export async function reportSums(world: CaseWorld): Promise<Record<string, number>> {
  const buckets = await mongoose.connection
    .collection<BucketSums>(await currentBucketCollection())
    .find({ orgId: new mongoose.Types.ObjectId(world.grassroots.id) })
    .toArray();
  const sums: Record<string, number> = {};
  for (const b of buckets) {
    for (const key of [
      'received',
      'approvedCount',
      'approvedAmount',
      'fundApprovedCount',
      'fundApprovedAmount',
    ] as const)
      sums[key] = (sums[key] ?? 0) + (b[key] ?? 0);
    for (const [status, n] of Object.entries(b.open ?? {}))
      sums[`open.${status}`] = (sums[`open.${status}`] ?? 0) + Number(n);
  }
  return sums;
}

export const minus = (a: Record<string, number>, b: Record<string, number>) =>
  Object.fromEntries(Object.keys({ ...a, ...b }).map((k) => [k, (a[k] ?? 0) - (b[k] ?? 0)]));
