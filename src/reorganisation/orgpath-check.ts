import mongoose from 'mongoose';
import { currentBucketCollection } from '../reports/index.js';

/** A group of documents whose stored chain of ancestors is not their organisation's current one. */
export interface OrgPathDifference {
  collection: string;
  orgId: string;
  count: number;
  recorded: string[];
  expected: string[] | null;
}

/** Collections whose documents name their organisation in `orgId` and copy its chain in `orgPath`. */
const OWNED_BY_ORG = [
  'users',
  'members',
  'cases',
  'disbursements',
  'batches',
  'report_totals',
  'campaigns',
  'funds',
] as const;

const raw = (name: string) => mongoose.connection.db!.collection(name);
const key = (path: readonly unknown[]) => path.map(String).join('/');

async function groups(name: string, owner: string): Promise<{ owner: string; path: string[]; count: number }[]> {
  // The report buckets of the generation read now (reports/store.ts).
  const rows = await raw(name === 'report_totals' ? await currentBucketCollection() : name)
    .aggregate([{ $group: { _id: { owner: `$${owner}`, path: '$orgPath' }, count: { $sum: 1 } } }])
    .toArray();
  return rows.map((r) => ({
    owner: String(r._id.owner),
    path: ((r._id.path ?? []) as unknown[]).map(String),
    count: r.count as number,
  }));
}

/**
 * `npm run reconcile` (SPEC §13): every document's chain of ancestors matches its organisation's current one,
 * and every organisation's chain is its parent's plus itself. Grouped by (organisation, chain), so the check
 * reads each collection once and reports a misplaced group, not every document of it.
 */
export async function checkOrgPaths(): Promise<OrgPathDifference[]> {
  const orgs = await raw('orgs')
    .find({}, { projection: { parentId: 1, orgPath: 1 } })
    .toArray();
  const pathOf = new Map(orgs.map((o) => [String(o._id), (o.orgPath as unknown[]).map(String)]));
  const differences: OrgPathDifference[] = [];
  for (const o of orgs) {
    const parent = o.parentId ? (pathOf.get(String(o.parentId)) ?? null) : [];
    const expected = parent ? [...parent, String(o._id)] : null;
    const recorded = pathOf.get(String(o._id))!;
    if (!expected || key(expected) !== key(recorded))
      differences.push({ collection: 'orgs', orgId: String(o._id), count: 1, recorded, expected });
  }
  for (const name of OWNED_BY_ORG) {
    for (const g of await groups(name, 'orgId')) {
      const expected = pathOf.get(g.owner) ?? null;
      if (!expected || key(expected) !== key(g.path))
        differences.push({ collection: name, orgId: g.owner, count: g.count, recorded: g.path, expected });
    }
  }
  // A fund's movements carry the fund's chain.
  const funds = await raw('funds')
    .find({}, { projection: { orgPath: 1 } })
    .toArray();
  const fundPath = new Map(funds.map((f) => [String(f._id), (f.orgPath as unknown[]).map(String)]));
  for (const g of await groups('fund_entries', 'fundId')) {
    const expected = fundPath.get(g.owner) ?? null;
    if (!expected || key(expected) !== key(g.path))
      differences.push({ collection: 'fund_entries', orgId: g.owner, count: g.count, recorded: g.path, expected });
  }
  return differences;
}
