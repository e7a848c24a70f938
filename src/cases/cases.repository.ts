import { Types } from 'mongoose';
import { refusedAsDuplicates } from '../core/db/mongo-errors.js';
import { leanDocuments } from '../core/db/lean-insert.js';
import { bulkUpdateStored } from '../core/db/stored-bulk.js';
import { findPage, SCAN_BATCH } from '../core/db/paging.js';
import { leanToJSON } from '../core/db/to-json.plugin.js';
import type { ListQuery } from '../core/http/common-schemas.js';
import { Case, type CaseDoc } from './cases.model.js';
import type { CaseStatus } from './workflow.js';

export type CaseRecord = CaseDoc;
export type CaseHistoryEntry = CaseRecord['history'][number];
export type CaseDocument = CaseRecord['documents'][number];

export interface CaseListFilter {
  subtreeOf: string;
  orgId?: string;
  /** Only cases of these grassroots unions (those a verifier is the direct upper union of). */
  orgIds?: string[];
  statuses?: string[];
  programCode?: string;
  campaignId?: string;
  batchId?: string;
  createdFrom?: Date;
  createdBefore?: Date;
  code?: string;
  citizenId?: string;
  memberSearchName?: RegExp;
}

/** Lists carry no personal data beyond the member's name, and none of the heavy parts. */
const LIST_PROJECTION = { history: 0, documents: 0, memberSnapshot: 0, details: 0 } as const;

/** Allocations and tranches start empty: approval and the first payment fill them (funds, disbursements). */
export type NewCase = Omit<CaseRecord, '_id' | 'createdAt' | 'updatedAt' | 'fundAllocations' | 'tranches'> &
  Partial<Pick<CaseRecord, 'fundAllocations' | 'tranches'>> & { _id?: Types.ObjectId };

export interface GuardedUpdate {
  $set?: Record<string, unknown>;
  $push?: Record<string, unknown>;
  $pull?: Record<string, unknown>;
}

/**
 * One conditional update of one case; true when it was applied. Sent as findAndModify, atomic on one document
 * on both engines (of racing callers exactly one matches); success is read from a *before* document being
 * answered, never from its content (ENGINE-NOTES.md). Every filter here names the case's `_id`: the embedded
 * engine finds the case by it whatever else the filter holds (measured 2026-12-05 at 100,000 documents: 0.5–0.7 ms
 * with or without other fields, against 17 ms for a filter without `_id`, docs/benchmarks.md).
 */
async function updateWhere(filter: Record<string, unknown>, update: Record<string, unknown>): Promise<boolean> {
  return (await Case.findOneAndUpdate(filter, update, { returnDocument: 'before' }).select({ _id: 1 }).lean()) !== null;
}

/**
 * The decision's id on each case, one update by `_id` each in one bulk write: the embedded engine answers an
 * `updateMany` by `_id: {$in}` by comparing every case with every id (20,000 ids on a 40,000-case collection: 35 s,
 * against 0.4 s for the bulk write).
 */
async function setDecision(ids: readonly Types.ObjectId[], decisionId: Types.ObjectId): Promise<void> {
  await bulkUpdateStored(
    Case,
    ids.map((_id) => ({ filter: { _id }, update: { $set: { decisionId } } })),
  );
}

/** The state of a case as its caller read it and checked its rules on: the revision and the status then. */
export interface SeenState {
  revision: number;
  status: CaseStatus;
}

/** What the round reads of a case that owes its creation's audit entry (creation-audit.ts). */
export type OwingCase = Pick<CaseRecord, '_id' | 'code' | 'orgPath' | 'createdBy'>;

/** Cases whose statuses are read at once for a page of lists' counts. */
const COUNT_PIECE = 2_000;

/**
 * The round's query: every case with `creationAuditDue` (a string, the case's id), by a regular expression on exactly
 * the key of its unique sparse index, so that both engines answer it from the index (cases.model.ts), not by reading
 * every case. The expression is the value itself: the embedded engine reads `{$regex: …}` there as text.
 */
export const OWING_CREATION_AUDIT = { creationAuditDue: /^[0-9a-f]/ } as const;

export const casesRepository = {
  async findById(id: string): Promise<CaseRecord | null> {
    return Case.findById(id).lean<CaseRecord>();
  },
  /**
   * Many cases in one query, in no particular order; ids that name no case are left out. With `fields`, only
   * those (and `_id`) are read: the caller must use no other.
   */
  async findByIds(ids: readonly (string | Types.ObjectId)[], fields?: readonly string[]): Promise<CaseRecord[]> {
    return Case.find({ _id: { $in: ids } }, fields ? Object.fromEntries(fields.map((f) => [f, 1])) : undefined).lean<
      CaseRecord[]
    >();
  },
  async insert(record: NewCase): Promise<CaseRecord> {
    return (await Case.create(record)).toObject() as unknown as CaseRecord;
  },
  /** The cases whose single creation's audit entry the round has not seen yet (creation-audit.ts), a few fields each. */
  owingCreationAudit(): AsyncIterable<OwingCase> {
    return Case.find(OWING_CREATION_AUDIT, { code: 1, orgPath: 1, createdBy: 1 })
      .lean<OwingCase>()
      .cursor({ batchSize: SCAN_BATCH });
  },
  /** Their flags go, one update by `_id` each, `updatedAt` untouched: the case itself did not change. */
  async dropCreationAuditDue(ids: readonly Types.ObjectId[]): Promise<void> {
    await bulkUpdateStored(
      Case,
      ids.map((_id) => ({ filter: { _id }, update: { $unset: { creationAuditDue: 1 } } })),
      { timestamps: false },
    );
  },
  /**
   * Cases under ids the caller chose (an imported list's rows, batches/import-job.ts): an id that exists already
   * was inserted by an earlier attempt and is left as it is. Answers the cases this call inserted, in order, and
   * the records refused although their id is new (another unique key, a case code, was taken: `collided`).
   * The documents are stored as mongoose stores a case (core/db/lean-insert.ts), without a mongoose document each.
   */
  async insertManyOnce(
    records: readonly (NewCase & { _id: Types.ObjectId })[],
  ): Promise<{ inserted: CaseRecord[]; collided: (NewCase & { _id: Types.ObjectId })[] }> {
    if (!records.length) return { inserted: [], collided: [] };
    const docs = (await leanDocuments(Case, records)) as unknown as CaseRecord[];
    try {
      await Case.insertMany(docs, { ordered: false, lean: true });
      return { inserted: docs, collided: [] };
    } catch (error) {
      const refused = new Set([...refusedAsDuplicates(error)].map((i) => String(records[i]!._id)));
      const found = await Case.find({ _id: { $in: records.map((r) => r._id) } }).lean<CaseRecord[]>();
      const byId = new Map(found.map((c) => [String(c._id), c]));
      return {
        inserted: records.flatMap((r) => (refused.has(String(r._id)) ? [] : (byId.get(String(r._id)) ?? []))),
        collided: records.filter((r) => refused.has(String(r._id)) && !byId.has(String(r._id))),
      };
    }
  },
  async anyOfBatch(batchId: Types.ObjectId): Promise<boolean> {
    return Boolean(await Case.exists({ batchId }));
  },
  /** The ids of the batch's cases, in the file's order (a list's case ids are made of the batch and the row). */
  async idsOfBatch(batchId: Types.ObjectId): Promise<Types.ObjectId[]> {
    const found = await Case.find({ batchId }, { _id: 1 }).sort({ _id: 1 }).lean<{ _id: Types.ObjectId }[]>();
    return found.map((c) => c._id);
  },
  /** Which of these ids are cases of the batch already. */
  async existingOfBatch(batchId: Types.ObjectId, ids: readonly Types.ObjectId[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const found = await Case.find({ _id: { $in: ids } }, { _id: 1, batchId: 1 }).lean<
      { _id: Types.ObjectId; batchId: Types.ObjectId | null }[]
    >();
    return new Set(found.filter((c) => String(c.batchId) === String(batchId)).map((c) => String(c._id)));
  },
  /**
   * The one way a case changes: applied only if the case still has the revision and the status the caller saw
   * (and checked its rules on), and it raises the revision. Of several racing writers exactly one wins on both
   * engines. Callers re-read instead of trusting a returned document (ENGINE-NOTES.md).
   */
  /**
   * A workflow step's guarded update that answers the case as it now stands, without reading it again: the
   * document answered is the one the update found (*before*, exact on both engines), and the step's changes are
   * applied to it here as the database applied them (top-level `$set` fields, one history entry, the revision).
   * Null when the case no longer has the revision and status the step saw.
   */
  async transition(
    id: string,
    seen: SeenState,
    set: Record<string, unknown>,
    entry: CaseHistoryEntry,
  ): Promise<CaseRecord | null> {
    const updatedAt = new Date();
    const found = await Case.findOneAndUpdate(
      { _id: id, revision: seen.revision, status: seen.status },
      { $set: { ...set, updatedAt }, $push: { history: entry }, $inc: { revision: 1 } },
      { returnDocument: 'before', timestamps: false },
    ).lean<CaseRecord>();
    if (!found) return null;
    return {
      ...found,
      ...(set as Partial<CaseRecord>),
      updatedAt,
      history: [...(found.history ?? []), entry],
      revision: found.revision + 1,
    };
  },
  /**
   * Many workflow steps at once (a list approval's chunk), each `transition`'s guarded update of its own case (same
   * filter, same changes), in one bulk write sent as it is (`bulkUpdateStored`: `set` and `entry` hold the stored
   * types). Answers how many of the updates matched (each matched one took) and the `updatedAt` they wrote; which
   * took is not answered: when not all did, the caller reads the cases again and looks for the history entries it
   * pushed.
   */
  async transitionMany(
    steps: readonly { id: string; seen: SeenState; set: Record<string, unknown>; entry: CaseHistoryEntry }[],
  ): Promise<{ matched: number; updatedAt: Date }> {
    return bulkUpdateStored(
      Case,
      steps.map(({ id, seen, set, entry }) => ({
        filter: { _id: new Types.ObjectId(id), revision: seen.revision, status: seen.status },
        update: { $set: set, $push: { history: entry }, $inc: { revision: 1 } },
      })),
    );
  },
  /** `also`: further conditions of the filter (an audited write's `unfenced`, audited-writes.ts). */
  async guardedUpdate(
    id: string,
    seen: SeenState,
    update: GuardedUpdate,
    also: Record<string, unknown> = {},
  ): Promise<boolean> {
    return updateWhere(
      { ...also, _id: id, revision: seen.revision, status: seen.status },
      { ...update, $inc: { revision: 1 } },
    );
  },
  /**
   * Appends a note to the history, stamped with the status the case has as it is written, without a revision
   * step: like `linkDecision`, it changes nothing a client could lose or overwrite. False if the case is gone
   * (or kept moving under three attempts).
   */
  async appendNote(id: string, entry: (status: CaseStatus) => CaseHistoryEntry): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const now = await Case.findById(id, { revision: 1, status: 1 }).lean<SeenState>();
      if (!now) return false;
      if (
        await updateWhere(
          { _id: id, revision: now.revision, status: now.status },
          { $push: { history: entry(now.status) } },
        )
      )
        return true;
    }
    return false;
  },
  /**
   * Adds or removes a document while the case is in one of `statuses`. Parallel uploads to one case all
   * succeed (each is one atomic update); a revision is enforced only when the client sent one.
   */
  async changeDocuments(
    id: string,
    statuses: readonly CaseStatus[],
    revision: number | undefined,
    change: { $push?: Record<string, unknown>; $pull?: Record<string, unknown> },
    also: Record<string, unknown> = {},
  ): Promise<boolean> {
    const filter: Record<string, unknown> = { ...also, _id: id, status: { $in: statuses } };
    if (revision !== undefined) filter.revision = revision;
    return updateWhere(filter, { ...change, $inc: { revision: 1 } });
  },
  async list(filter: CaseListFilter, query: ListQuery) {
    const match: Record<string, unknown> = { orgPath: filter.subtreeOf };
    if (filter.orgId) match.orgPath = { $all: [filter.subtreeOf, filter.orgId] };
    if (filter.orgIds) match.orgId = { $in: filter.orgIds };
    if (filter.statuses?.length) match.status = { $in: filter.statuses };
    if (filter.programCode) match.programCode = filter.programCode;
    if (filter.campaignId) match.campaignId = filter.campaignId;
    if (filter.batchId) match.batchId = filter.batchId;
    if (filter.createdFrom || filter.createdBefore) {
      match.createdAt = {
        ...(filter.createdFrom ? { $gte: filter.createdFrom } : {}),
        ...(filter.createdBefore ? { $lt: filter.createdBefore } : {}),
      };
    }
    if (filter.code) match.code = filter.code;
    if (filter.citizenId) match.memberCitizenId = filter.citizenId;
    if (filter.memberSearchName) match.memberSearchName = filter.memberSearchName;
    return findPage(Case, match, query, (doc) => doc.toJSON(), LIST_PROJECTION);
  },
  /**
   * A change applied only where the case still meets `conditions` (payments and reversals: the paid total,
   * a tranche and a fund allocation each bounded in the filter). True when it was applied; the caller
   * re-reads rather than trusting a returned document (ENGINE-NOTES.md).
   */
  async updateIf(id: string, conditions: Record<string, unknown>, update: Record<string, unknown>): Promise<boolean> {
    return updateWhere({ ...conditions, _id: id }, update);
  },
  /**
   * Many guarded updates, each on its own case, in one bulk write sent as it is (a list payment's chunk, fences;
   * `bulkUpdateStored`: filters and updates hold the stored types). Answers how many matched and the `updatedAt`
   * written; which took is not answered (a bulk write counts, it does not tell which): unless all did, the caller
   * reads the cases again and looks.
   */
  async updateManyIf(
    updates: readonly { id: string; filter: Record<string, unknown>; update: Record<string, unknown> }[],
  ): Promise<{ matched: number; updatedAt: Date }> {
    return bulkUpdateStored(
      Case,
      updates.map(({ id, filter, update }) => ({ filter: { ...filter, _id: new Types.ObjectId(id) }, update })),
    );
  },
  /** Cases of a subtree that ever held money, with what reconciliation recomputes. */
  async withMoney(subtreeOf: string | null): Promise<CaseRecord[]> {
    return Case.find(
      {
        ...(subtreeOf ? { orgPath: subtreeOf } : {}),
        $or: [
          { approvedAmount: { $ne: null } },
          { disbursedAmount: { $ne: 0 } },
          { 'fundAllocations.0': { $exists: true } },
        ],
      },
      { code: 1, status: 1, approvedAmount: 1, disbursedAmount: 1, fundAllocations: 1, tranches: 1, orgPath: 1 },
    ).lean<CaseRecord[]>();
  },
  /**
   * Points the cases at the decision that was issued for them (decisions feature), once: a case that already
   * names a decision keeps it. The revision does not move: this is the service's bookkeeping that follows an
   * approval, not an edit that another user's write could lose or overwrite, and an approval raises the
   * revision by exactly one.
   */
  async linkDecision(
    ids: readonly Types.ObjectId[],
    decisionId: Types.ObjectId,
    { created = false }: { created?: boolean } = {},
  ): Promise<void> {
    // A decision just created holds cases that no other decision can hold (the unique index on the decisions'
    // caseIds): they are linked by id alone, without reading them first.
    if (created) {
      await setDecision(ids, decisionId);
      return;
    }
    // Read, then write by id (`setDecision`: an `updateMany` by `_id: {$in}` compares every case with every id on
    // the embedded engine). No other decision can be linked in between: a case is in at most one decision
    // (the unique index on the decisions' caseIds), so the cases still unlinked stay so or get this one.
    const unlinked = (
      await Case.find({ _id: { $in: ids } }, { decisionId: 1 }).lean<{ _id: Types.ObjectId; decisionId: unknown }[]>()
    )
      .filter((c) => c.decisionId === null || c.decisionId === undefined)
      .map((c) => c._id);
    await setDecision(unlinked, decisionId);
  },
  /** The cases imported in one list (batches feature), oldest first: the order of the file. */
  async ofBatch(batchId: Types.ObjectId | string): Promise<CaseRecord[]> {
    return Case.find({ batchId }, { history: 0, documents: 0, details: 0 })
      .sort({ createdAt: 1, _id: 1 })
      .lean<CaseRecord[]>();
  },
  /** The lists (batches) of the subtree that hold a case in one of these statuses. */
  async batchIdsWithStatus(subtreeOf: string, statuses: readonly CaseStatus[]): Promise<string[]> {
    const ids = await Case.distinct('batchId', {
      orgPath: subtreeOf,
      status: { $in: statuses },
      batchId: { $ne: null },
    });
    return ids.map(String);
  },
  /**
   * How many cases of each of these lists are in each status, from the lists' own case ids (the list's page counts
   * the same way, batches.service.ts `readBatch`): their statuses read by `_id`, a piece at a time. A query on
   * `batchId` matches no index on either engine (the embedded one would read every case of the database for it,
   * holding the collection meanwhile), so a page of lists costs what its cases cost, not what the database holds.
   */
  async statusCountsOfLists(
    lists: readonly { id: string; caseIds: readonly Types.ObjectId[] }[],
  ): Promise<Map<string, Record<string, number>>> {
    const counts = new Map<string, Record<string, number>>(lists.map(({ id }) => [id, {}]));
    const listOf = new Map<string, Record<string, number>>();
    for (const { id, caseIds } of lists) for (const caseId of caseIds) listOf.set(String(caseId), counts.get(id)!);
    const ids = lists.flatMap(({ caseIds }) => caseIds);
    for (let at = 0; at < ids.length; at += COUNT_PIECE) {
      const found = await Case.find({ _id: { $in: ids.slice(at, at + COUNT_PIECE) } }, { status: 1 }).lean<
        { _id: Types.ObjectId; status: CaseStatus }[]
      >();
      for (const { _id, status } of found) {
        const of = listOf.get(String(_id))!;
        of[status] = (of[status] ?? 0) + 1;
      }
    }
    return counts;
  },
  /**
   * The members with a case of the campaign not ended without benefit, as hex ids: one read of the campaign's
   * cases (the embedded engine reads every case for any filter on them but `_id`), streamed into the set.
   */
  async membersWithCaseInCampaign(
    programCode: string,
    campaignId: Types.ObjectId | string,
    endedWithout: readonly CaseStatus[],
  ): Promise<Set<string>> {
    const members = new Set<string>();
    const cursor = Case.find({ programCode, campaignId, status: { $nin: endedWithout } }, { _id: 0, memberId: 1 })
      .lean<{ memberId: Types.ObjectId }[]>()
      .cursor({ batchSize: SCAN_BATCH });
    for await (const found of cursor) members.add(String((found as { memberId: Types.ObjectId }).memberId));
    return members;
  },
  /** Cases of these members in a campaign that still hold or will hold the benefit (any status but the final ones without it). */
  async benefitingInCampaign(
    programCode: string,
    campaignId: Types.ObjectId | string,
    memberIds: readonly Types.ObjectId[],
    endedWithout: readonly CaseStatus[],
  ) {
    // No member, no case; and on the embedded engine this filter reads every case (no index has its keys).
    if (!memberIds.length) return [];
    return Case.find(
      { programCode, campaignId, memberId: { $in: memberIds }, status: { $nin: endedWithout } },
      { memberId: 1, code: 1, status: 1 },
    ).lean<Pick<CaseRecord, '_id' | 'memberId' | 'code' | 'status'>[]>();
  },
  /** What `Case.hydrate(record).toJSON()` answers, without building the document (a fifth of a case read's time). */
  toJSON(record: CaseRecord): Record<string, unknown> {
    return leanToJSON(Case.schema, record);
  },

  /** One case's chosen fields as a plain object, for another feature's read model (reports). */
  async findFields<T>(id: string, fields: Readonly<Record<string, 0 | 1>>): Promise<T | null> {
    return Case.findById(id, fields).lean<T>();
  },

  /** The chosen fields of every case of a subtree (all when null) that was ever submitted, streamed (reports). */
  /** Some fields of the cases with these ids (looked up by `_id`). */
  async findManyFields<T>(ids: readonly Types.ObjectId[], fields: Readonly<Record<string, 0 | 1>>): Promise<T[]> {
    return Case.find({ _id: { $in: [...ids] } }, fields).lean<T[]>();
  },
  async countSubmitted(): Promise<number> {
    return Case.countDocuments({ submittedDay: { $ne: null } });
  },
  submittedFields<T>(orgId: string | null, fields: Readonly<Record<string, 0 | 1>>): AsyncIterable<T> {
    return Case.find({ ...(orgId ? { orgPath: orgId } : {}), submittedDay: { $ne: null } }, fields)
      .lean<T[]>()
      .cursor({ batchSize: SCAN_BATCH });
  },
};
