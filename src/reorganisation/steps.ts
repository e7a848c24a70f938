import mongoose, { Types } from 'mongoose';
import { FINAL_WITHOUT_BENEFIT, performAction } from '../cases/index.js';
import { AppError } from '../core/errors.js';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
import { updateInSlices } from '../core/db/paging.js';
import { forgetOrgStructure, Org } from '../orgs/index.js';
import { rebuildReportTotals, refreshPayeesUnder, refreshYearsAfterMove } from '../reports/index.js';
import { forgetUsers } from '../users/index.js';
import type { OperationDoc, OperationStep } from './reorganisation.model.js';
import { rescopeDecisions, rewritePaths } from './subtree-move.js';

const oid = (id: string) => new Types.ObjectId(id);
const raw = (name: string) => mongoose.connection.db!.collection(name);
const OLD_SUFFIX = ' (cũ)';

/** The organisation record: `$set` the new state, then its history entry unless this operation already wrote it. */
async function orgStep(op: OperationDoc, step: OperationStep): Promise<number> {
  const { set, history } = step.data as { set: Record<string, unknown>; history: Record<string, unknown> };
  const id = oid(step.rootId!);
  const changed = await Org.updateOne({ _id: id }, { $set: set });
  const pushed = await Org.updateOne(
    { _id: id, 'history.operationId': { $ne: String(history.operationId ?? op._id) } },
    { $push: { history: { ...history, at: new Date(history.at as string | Date) } } },
  );
  return changed.modifiedCount + pushed.modifiedCount;
}

/** A dissolved organisation's users can no longer sign in, and their open sessions end. */
async function deactivateUsers(step: OperationStep): Promise<number> {
  const res = await raw('users').updateMany(
    { orgId: oid(step.rootId!), active: true },
    { $set: { active: false }, $inc: { sessionVersion: 1 } },
  );
  return res.modifiedCount;
}

async function endMemberships(step: OperationStep): Promise<number> {
  const { effectiveDate, reason } = step.data as { effectiveDate: string; reason: string };
  const res = await raw('members').updateMany(
    { orgId: oid(step.rootId!), membershipEndedAt: null },
    { $set: { membershipEndedAt: effectiveDate, membershipEndReason: reason } },
  );
  return res.modifiedCount;
}

/**
 * Drafts and returned cases of a union dissolved with `endMemberships` are withdrawn through the workflow's
 * own `withdraw` step (history, audit, report totals, duplicate claim released), on behalf of the union by the
 * administrator who dissolved it, with the dissolution's reason. A case changed meanwhile is read again.
 */
async function withdrawOpenDrafts(op: OperationDoc, step: OperationStep): Promise<number> {
  const { reason, orgPath } = step.data as { reason: string; orgPath: string[] };
  const principal = {
    userId: op.createdBy.userId!,
    username: '',
    fullName: op.createdBy.name!,
    orgId: step.rootId!,
    orgPath,
    roles: ['grassroots_officer' as const],
  };
  const actor = {
    userId: op.createdBy.userId!,
    name: op.createdBy.name!,
    requestId: `reorganisation:${String(op._id)}`,
  };
  let withdrawn = 0;
  for (let round = 0; round < 5; round += 1) {
    const open = await raw('cases')
      .find({ orgId: oid(step.rootId!), status: { $in: ['draft', 'returned'] } }, { projection: { revision: 1 } })
      .toArray();
    if (!open.length) break;
    for (const c of open) {
      try {
        await performAction(principal, actor, String(c._id), 'withdraw', { revision: c.revision, reason });
        withdrawn += 1;
      } catch (error) {
        // Someone acted on it meanwhile: the next round reads it again (and leaves it if it was submitted).
        if (!(error instanceof AppError) || error.status !== 409) throw error;
      }
    }
  }
  return withdrawn;
}

/**
 * A dissolved grassroots union's members and open cases (with their payments) belong to its successor from
 * now on. Closed cases stay with the dissolved union, which stays in the tree as it was, so what happened
 * there is still counted there.
 */
async function handOverMembers(step: OperationStep): Promise<number> {
  const { successorId, successorPath } = step.data as { successorId: string; successorPath: string[] };
  const from = oid(step.rootId!);
  const to = { orgId: oid(successorId), orgPath: successorPath.map(oid) };
  const members = await raw('members').updateMany({ orgId: from }, { $set: to });
  const done = [...FINAL_WITHOUT_BENEFIT, 'closed'];
  const open = await raw('cases')
    .find({ orgId: from, status: { $nin: done } }, { projection: { _id: 1 } })
    .toArray();
  const caseIds = open.map((c) => c._id);
  const cases = await raw('cases').updateMany({ _id: { $in: caseIds } }, { $set: to });
  const payments = await raw('disbursements').updateMany({ caseId: { $in: caseIds } }, { $set: to });
  return members.modifiedCount + cases.modifiedCount + payments.modifiedCount;
}

/** A merged province's funds and campaigns pass to the province it merged into, as "… (cũ)", still spendable. */
async function passFunds(step: OperationStep): Promise<number> {
  const { targetId, targetPath, sourceCode } = step.data as {
    targetId: string;
    targetPath: string[];
    sourceCode: string;
  };
  const to = { orgId: oid(targetId), orgPath: targetPath.map(oid) };
  let modified = 0;
  for (const name of ['funds', 'campaigns']) {
    const owned = await raw(name)
      .find({ orgId: oid(step.rootId!) }, { projection: { name: 1, code: 1 } })
      .toArray();
    for (const doc of owned) {
      const newName = String(doc.name).endsWith(OLD_SUFFIX) ? doc.name : `${doc.name}${OLD_SUFFIX}`;
      const set = (code: string) => raw(name).updateOne({ _id: doc._id }, { $set: { ...to, name: newName, code } });
      // A fund code is unique within its province: the target may already use it, then the old province's code is added.
      const res = await set(doc.code).catch((error: unknown) => {
        if (!isDuplicateKeyError(error)) throw error;
        return set(`${doc.code}-${sourceCode}`);
      });
      modified += res.modifiedCount;
      // A province's fund may hold a ledger line for each of its hundreds of thousands of payments.
      if (name === 'funds')
        await updateInSlices(raw('fund_entries'), { fundId: doc._id }, { $set: { orgPath: to.orgPath } });
    }
  }
  return modified;
}

/**
 * One step of an operation. Steps write organisations, users and paths past their repositories, so what this
 * process keeps of them for a few seconds (the tree's verifiers, signed-in users) is forgotten after each.
 */
export async function runStep(op: OperationDoc, step: OperationStep): Promise<number> {
  try {
    return await applyStep(op, step);
  } finally {
    forgetOrgStructure();
    forgetUsers();
  }
}

async function applyStep(op: OperationDoc, step: OperationStep): Promise<number> {
  switch (step.kind) {
    case 'org':
      return orgStep(op, step);
    case 'paths': {
      const modified = await rewritePaths(step.collectionName!, {
        rootId: step.rootId!,
        rootIds: step.rootIds ?? [],
        removed: step.removed,
        added: step.added,
        at: step.at,
      });
      // What reports keep per organisation follows what moved: the year figures of the chains left and
      // joined are recomputed from the buckets, the people paid of the members whose entries moved.
      const roots = step.rootIds?.length ? step.rootIds : [step.rootId!];
      if (step.collectionName === 'report_totals') await refreshYearsAfterMove(roots, step.removed);
      if (step.collectionName === 'disbursements') await refreshPayeesUnder(roots);
      return modified;
    }
    case 'decisions':
      return rescopeDecisions(step.rootIds?.length ? step.rootIds : [step.rootId!]);
    case 'deactivateUsers':
      return deactivateUsers(step);
    case 'endMemberships':
      return endMemberships(step);
    case 'withdrawOpenDrafts':
      return withdrawOpenDrafts(op, step);
    case 'handOverMembers':
      return handOverMembers(step);
    case 'passFunds':
      return passFunds(step);
    // Cases that changed union take their counted history along: both unions' monthly totals are recomputed
    // from their records (idempotent; a payment landing in that second on the successor is caught by reconcile).
    case 'rebuildTotals':
      return (await rebuildReportTotals(step.rootId!)).buckets;
    default:
      throw new Error(`unknown reorganisation step ${step.kind}`);
  }
}
