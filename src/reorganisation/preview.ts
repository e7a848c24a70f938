import mongoose, { Types } from 'mongoose';
import { FINAL_WITHOUT_BENEFIT } from '../cases/index.js';
import type { Principal } from '../core/scope.js';
import { getOrgInScope } from '../orgs/index.js';

const raw = (name: string) => mongoose.connection.db!.collection(name);

/** What a move, dissolution or merge would carry along (SPEC §13 dialogs): counted before confirming. */
export async function previewReorganisation(principal: Principal, id: string, sourceIds: string[] = []) {
  const roots = [id, ...sourceIds];
  await Promise.all(roots.map((r) => getOrgInScope(principal, r)));
  const sums = { orgs: 0, members: 0, openCases: 0, users: 0, funds: 0, campaigns: 0 };
  // A merge carries the sources; a move or dissolution the organisation itself.
  for (const root of sourceIds.length ? sourceIds : [id]) {
    const inSubtree = { orgPath: new Types.ObjectId(root) };
    const [orgs, members, openCases, users, funds, campaigns] = await Promise.all([
      raw('orgs').countDocuments(inSubtree),
      raw('members').countDocuments({ ...inSubtree, membershipEndedAt: null }),
      raw('cases').countDocuments({ ...inSubtree, status: { $nin: [...FINAL_WITHOUT_BENEFIT, 'closed'] } }),
      raw('users').countDocuments({ ...inSubtree, active: true }),
      raw('funds').countDocuments({ orgId: new Types.ObjectId(root) }),
      raw('campaigns').countDocuments({ orgId: new Types.ObjectId(root) }),
    ]);
    sums.orgs += orgs;
    sums.members += members;
    sums.openCases += openCases;
    sums.users += users;
    sums.funds += funds;
    sums.campaigns += campaigns;
  }
  return sums;
}
