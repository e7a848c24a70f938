import mongoose, { Types } from 'mongoose';
import { updateInSlices } from '../core/db/paging.js';
import { currentBucketCollection } from '../reports/index.js';

/**
 * Every collection whose documents carry `orgPath`, the chain of ancestors that scope checks match on
 * (SPEC §2). A moved subtree's documents get the new chain so that every scoped query answers as if the
 * union had always been where it is now. Not listed on purpose: `audit_log` (keeps the chain of its time, like
 * a case's history keeps the names of its time) and `decisions` (their `scopeOrgIds` are recomputed by
 * `rescopeDecisions`, their names, numbers and PDF bytes never change).
 *
 * Raw collections, not the models: this feature must not import the features it rewrites (no import cycles),
 * and the update is the same for all of them.
 */
export const PATH_COLLECTIONS = [
  'orgs',
  'users',
  'members',
  'cases',
  'disbursements',
  'fund_entries',
  'batches',
  'report_totals',
  'campaigns',
  'funds',
] as const;
export type PathCollection = (typeof PATH_COLLECTIONS)[number];

/** Collections in which documents may be created while a move runs: swept once more at its end. */
export const SWEPT_COLLECTIONS: readonly PathCollection[] = [
  'members',
  'cases',
  'disbursements',
  'fund_entries',
  'batches',
  'report_totals',
];

/**
 * How the chain above a subtree root changes: drop `removed`, insert `added` at position `at`. `rootIds`, when
 * given, are several roots with the same parent that move together (the children of a dissolved organisation):
 * one update then covers all of them.
 */
export interface PathChange {
  rootId: string;
  rootIds?: string[];
  removed: string[];
  added: string[];
  at: number;
}

/** The documents under the change's root(s). */
function underRoots(change: Pick<PathChange, 'rootId' | 'rootIds'>) {
  const roots = change.rootIds?.length ? change.rootIds : [change.rootId];
  return roots.length === 1 ? { orgPath: oid(roots[0]!) } : { orgPath: { $in: roots.map(oid) } };
}

export function pathChange(
  rootId: string,
  oldParentPath: readonly string[],
  newParentPath: readonly string[],
): PathChange {
  let common = 0;
  while (
    common < oldParentPath.length &&
    common < newParentPath.length &&
    oldParentPath[common] === newParentPath[common]
  )
    common += 1;
  return { rootId, removed: oldParentPath.slice(common), added: newParentPath.slice(common), at: common };
}

const oid = (id: string) => new Types.ObjectId(id);

function collection(name: string) {
  const db = mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  return db.collection<{ orgPath: Types.ObjectId[]; issuerOrgId?: Types.ObjectId; caseIds?: Types.ObjectId[] }>(name);
}

/**
 * Rewrites the chain of every document of the subtree in one collection: two server-side `updateMany`s
 * (`$pullAll` the old ancestors, then `$push … $position` the new ones on documents that lack them), no
 * update pipeline (the embedded engine has none). Both are idempotent, so a step interrupted anywhere is
 * simply run again. Each goes a slice of ids at a time (`updateInSlices`): a province merged into another moves
 * hundreds of thousands of cases, and one `updateMany` of a collection larger than the embedded engine's heap ended
 * the engine. Answers how many documents changed.
 */
export async function rewritePaths(name: string, change: PathChange): Promise<number> {
  // The report buckets of the generation read now (reports/store.ts).
  const coll = collection(name === 'report_totals' ? await currentBucketCollection() : name);
  const root = underRoots(change);
  let modified = 0;
  if (change.removed.length) {
    const removed = change.removed.map(oid);
    // The ancestors removed first: they are few, and most documents of a large database lack them, so the
    // engine (which scans) rejects those before it compares their chain with every root of a dissolution.
    modified += await updateInSlices(
      coll,
      { $and: [{ orgPath: { $in: removed } }, root] },
      { $pullAll: { orgPath: removed } },
    );
  }
  if (change.added.length) {
    const added = change.added.map(oid);
    modified += await updateInSlices(
      coll,
      { $and: [root, { orgPath: { $ne: added[added.length - 1] } }] },
      { $push: { orgPath: { $each: added, $position: change.at } } },
    );
  }
  return modified;
}

/**
 * A decision is visible to its issuer's subtree and to every ancestor of its cases' unions. After a move
 * the set is worked out again from where the issuer and the cases are now; nothing else of the decision
 * changes.
 */
export async function rescopeDecisions(rootIds: readonly string[]): Promise<number> {
  const decisions = collection('decisions');
  const found = await decisions
    .find({ scopeOrgIds: { $in: rootIds.map(oid) } }, { projection: { issuerOrgId: 1, caseIds: 1 } })
    .toArray();
  let modified = 0;
  for (const d of found) {
    const [issuer, cases] = await Promise.all([
      collection('orgs').findOne({ _id: d.issuerOrgId }, { projection: { orgPath: 1 } }),
      collection('cases')
        .find({ _id: { $in: d.caseIds ?? [] } }, { projection: { orgPath: 1 } })
        .toArray(),
    ]);
    const scope = new Map<string, Types.ObjectId>();
    for (const id of [...(issuer?.orgPath ?? []), ...cases.flatMap((c) => c.orgPath ?? [])] as Types.ObjectId[])
      scope.set(String(id), id);
    const res = await decisions.updateOne({ _id: d._id }, { $set: { scopeOrgIds: [...scope.values()] } });
    modified += res.modifiedCount;
  }
  return modified;
}
