import type { OrgHistoryEntry, OrgRef } from '../orgs/index.js';
import type { OrgRecord } from '../orgs/index.js';
import { pathChange, PATH_COLLECTIONS, SWEPT_COLLECTIONS } from './subtree-move.js';

/** A step as planned; the executor adds `done` and `modified`. */
export interface PlannedStep {
  kind:
    | 'org'
    | 'paths'
    | 'decisions'
    | 'deactivateUsers'
    | 'endMemberships'
    | 'withdrawOpenDrafts'
    | 'handOverMembers'
    | 'passFunds'
    | 'rebuildTotals';
  collectionName?: string;
  rootId?: string;
  rootIds?: string[];
  removed?: string[];
  added?: string[];
  at?: number;
  data?: Record<string, unknown>;
  /** Progress weight (see the step schema); `paths` steps without it get their share of the counted documents. */
  items?: number;
}

export interface Common {
  operationId: string;
  effectiveDate: string;
  reason: string;
  by: { userId: string; name: string };
  at: Date;
}

const ids = (path: readonly unknown[]) => path.map(String);
export const refOf = (org: Pick<OrgRecord, '_id' | 'name'> | null): OrgRef | null =>
  org ? { id: String(org._id), name: org.name } : null;

export function historyEntry(
  common: Common,
  event: OrgHistoryEntry['event'],
  from: OrgRef | null,
  to: OrgRef | null,
): OrgHistoryEntry {
  return {
    event,
    from,
    to,
    effectiveDate: common.effectiveDate,
    by: common.by,
    at: common.at,
    reason: common.reason,
    operationId: common.operationId,
  };
}

/**
 * A subtree root moves under `newParent`: its own record first (parent, history), then the chain of every
 * document of the subtree collection by collection, the decisions' scope, and a last sweep of the
 * collections that may have received documents with the old chain while the move ran.
 */
export function planMove(
  common: Common,
  org: OrgRecord,
  oldParent: OrgRecord,
  newParent: OrgRecord,
  event: 'moved' = 'moved',
): PlannedStep[] {
  const change = pathChange(String(org._id), ids(oldParent.orgPath), ids(newParent.orgPath));
  const set: Record<string, unknown> = { parentId: String(newParent._id) };
  // The name printed in a decision's top-left corner follows the parent unless someone set another one.
  if (!org.parentName || org.parentName === oldParent.name) set.parentName = newParent.name;
  const paths = (collectionName: string): PlannedStep => ({ kind: 'paths', collectionName, ...change });
  return [
    {
      kind: 'org',
      rootId: String(org._id),
      data: { set, history: historyEntry(common, event, refOf(oldParent), refOf(newParent)) },
    },
    ...PATH_COLLECTIONS.map(paths),
    { kind: 'decisions', rootId: String(org._id) },
    // The closing sweep finds only latecomers: it adds nothing to the progress.
    ...SWEPT_COLLECTIONS.map((name) => ({ ...paths(name), items: 0 })),
  ];
}

/**
 * The children of `oldParent` all move under `newParent` (a dissolution, a merger): each child's own record and
 * history as by `planMove`, but the chains of their subtrees are rewritten by one update per collection for all
 * of them (their chains change alike), not one per child: a hundred grassroots unions cost one pass, not a hundred.
 */
export function planMoves(
  common: Common,
  children: readonly OrgRecord[],
  oldParent: OrgRecord,
  newParent: OrgRecord,
): PlannedStep[] {
  if (children.length <= 1) return children.flatMap((child) => planMove(common, child, oldParent, newParent));
  const records = children.map((child) => planMove(common, child, oldParent, newParent)[0]!);
  const change = pathChange(String(children[0]!._id), ids(oldParent.orgPath), ids(newParent.orgPath));
  const rootIds = children.map((child) => String(child._id));
  const paths = (collectionName: string): PlannedStep => ({ kind: 'paths', collectionName, ...change, rootIds });
  return [
    ...records,
    ...PATH_COLLECTIONS.map(paths),
    { kind: 'decisions', rootId: rootIds[0], rootIds },
    ...SWEPT_COLLECTIONS.map((name) => ({ ...paths(name), items: 0 })),
  ];
}

/** The organisation itself becomes dissolved (its users can no longer act); `history` says where it went. */
export function planDissolveRecord(
  common: Common,
  org: OrgRecord,
  successor: OrgRecord | null,
  event: 'dissolved' | 'merged',
): PlannedStep[] {
  const set: Record<string, unknown> = {
    status: 'dissolved',
    active: false,
    dissolvedAt: common.effectiveDate,
    successorId: successor ? String(successor._id) : null,
  };
  if (event === 'merged') set.mergedInto = String(successor!._id);
  return [
    {
      kind: 'org',
      rootId: String(org._id),
      data: { set, history: historyEntry(common, event, null, refOf(successor)) },
    },
    { kind: 'deactivateUsers', rootId: String(org._id) },
  ];
}
