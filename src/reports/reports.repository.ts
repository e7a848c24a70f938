import { Types, type PipelineStage } from 'mongoose';
import { casesRepository } from '../cases/index.js';
import { isDuplicateKeyError, onlyDuplicateKeys } from '../core/db/mongo-errors.js';
import { SCAN_BATCH } from '../core/db/paging.js';
import { Disbursement } from '../disbursements/index.js';
import {
  bucketKey,
  counterFields,
  FLOW_COUNTERS,
  OPEN_STATUSES,
  SETTLED_ENTRY_STATUSES,
  type Counters,
  type ReportCase,
  type ReportEvent,
} from './events.js';
import type { PayeeEntry } from './payees.js';
import type { ReportTotalDoc } from './reports.model.js';
import { currentStore, type TotalsStore } from './store.js';

/**
 * With kept.repository.ts (the figures kept per organisation and year), the only files of the reports that
 * touch the database. Reports read cases (through the cases repository) and disbursement entries (read-only,
 * through their model) and own the `report_totals` collection.
 */

const CASE_FIELDS = {
  orgId: 1,
  orgPath: 1,
  programCode: 1,
  subtype: 1,
  reportSubtype: 1,
  campaignId: 1,
  status: 1,
  submittedDay: 1,
  approvedDay: 1,
  approvedAmount: 1,
  fundAllocations: 1,
  'history.action': 1,
  'history.from': 1,
  'history.to': 1,
  'history.at': 1,
} as const;

export interface RawEntry extends PayeeEntry {
  _id: unknown;
  caseId: unknown;
  kind: string;
  status: string;
}

const ENTRY_FIELDS = {
  caseId: 1,
  kind: 1,
  status: 1,
  amount: 1,
  paidAt: 1,
  fundId: 1,
  memberId: 1,
  orgPath: 1,
  programCode: 1,
  subtype: 1,
  campaignId: 1,
} as const;

/** One totals row of the summary's aggregation: a bucket's dims, its month (or the period's), summed counters. */
export interface SummedBucket {
  _id: { o: unknown; p: string; s: string; c: unknown; f: unknown; m: string };
  orgPath: unknown[];
  sums: Record<string, number>;
}

const SUMMED = [...FLOW_COUNTERS, ...OPEN_STATUSES.map((s) => `open.${s}`)];

function bucketDoc(event: ReportEvent, month: string) {
  const { dims } = event;
  return {
    _id: bucketKey(dims, month),
    orgId: dims.orgId,
    orgPath: dims.orgPath,
    programCode: dims.programCode,
    subtype: dims.subtype,
    campaignId: dims.campaignId,
    fundId: dims.fundId,
    month,
  };
}

export const reportsRepository = {
  /** One `$inc` on the event's bucket; a missing bucket is inserted first (a racing insert is fine), never upserted. */
  async addEvent(event: ReportEvent, store?: TotalsStore): Promise<void> {
    const inc = counterFields(event.counters);
    if (!Object.keys(inc).length) return;
    const { buckets } = store ?? (await currentStore());
    const month = event.day.slice(0, 7);
    const id = bucketKey(event.dims, month);
    if ((await buckets.updateOne({ _id: id }, { $inc: inc })).matchedCount === 1) return;
    await buckets.create(bucketDoc(event, month)).catch((error: unknown) => {
      if (!isDuplicateKeyError(error)) throw error;
    });
    await buckets.updateOne({ _id: id }, { $inc: inc });
  },

  /**
   * Many events on different buckets at once (a rebuild's chunk, one event per bucket): the missing buckets are
   * inserted in one write (a duplicate is one inserted meanwhile), then every `$inc` goes in one bulk write.
   */
  async addEventsAtOnce(events: readonly ReportEvent[], store: TotalsStore): Promise<void> {
    const moves = events
      .map((event) => ({ event, month: event.day.slice(0, 7), inc: counterFields(event.counters) }))
      .filter((m) => Object.keys(m.inc).length);
    if (!moves.length) return;
    const ids = moves.map((m) => bucketKey(m.event.dims, m.month));
    const present = new Set(
      (await store.buckets.find({ _id: { $in: ids } }, { _id: 1 }).lean<{ _id: string }[]>()).map((b) => b._id),
    );
    const missing = moves.filter((_, i) => !present.has(ids[i]!)).map((m) => bucketDoc(m.event, m.month));
    if (missing.length)
      await store.buckets.insertMany(missing, { ordered: false }).catch((error: unknown) => {
        if (!onlyDuplicateKeys(error)) throw error;
      });
    await store.buckets.bulkWrite(
      moves.map((m, i) => ({ updateOne: { filter: { _id: ids[i]! }, update: { $inc: m.inc } } })),
      { ordered: false },
    );
  },

  /** The buckets under any of some organisations (null: all). */
  async bucketsUnder(orgIds: readonly string[] | null, store?: TotalsStore): Promise<ReportTotalDoc[]> {
    const { buckets } = store ?? (await currentStore());
    return buckets.find(orgIds ? { orgPath: { $in: [...orgIds] } } : {}).lean<ReportTotalDoc[]>();
  },

  /**
   * The buckets of a subtree up to the period's last month, added up in the database per bucket key: by
   * month when `byMonth`, else into two: the period's months (`m` = its first month) and every earlier one
   * (`m` = '0000-00', where only open cases count: they are a running sum).
   */
  async summedBuckets(orgId: string, firstMonth: string, lastMonth: string, byMonth: boolean) {
    const sums = Object.fromEntries(SUMMED.map((f) => [f.replace('.', '_'), { $sum: `$${f}` }]));
    const { buckets } = await currentStore();
    const rows = await buckets.aggregate<Omit<SummedBucket, 'sums'> & Record<string, number>>([
      { $match: { orgPath: new Types.ObjectId(orgId), month: { $lte: lastMonth } } },
      {
        $group: {
          _id: {
            o: '$orgId',
            p: '$programCode',
            s: '$subtype',
            c: '$campaignId',
            f: '$fundId',
            m: byMonth ? '$month' : { $cond: [{ $gte: ['$month', firstMonth] }, firstMonth, '0000-00'] },
          },
          orgPath: { $first: '$orgPath' },
          ...sums,
        },
      },
    ]);
    return rows.map((r): SummedBucket => ({
      _id: r._id,
      orgPath: r.orgPath,
      sums: Object.fromEntries(SUMMED.map((f) => [f, r[f.replace('.', '_')] ?? 0])),
    }));
  },

  async allBuckets(orgId: string | null = null): Promise<ReportTotalDoc[]> {
    const { buckets } = await currentStore();
    return buckets.find(orgId ? { orgPath: orgId } : {}).lean<ReportTotalDoc[]>();
  },

  /** Replaces the whole collection (or one subtree's buckets) with recomputed ones, in batches. */
  async replaceBuckets(
    orgId: string | null,
    docs: readonly (ReturnType<typeof bucketDoc> & Counters)[],
  ): Promise<void> {
    const { buckets } = await currentStore();
    await buckets.deleteMany(orgId ? { orgPath: orgId } : {});
    for (let i = 0; i < docs.length; i += 1000) await buckets.insertMany(docs.slice(i, i + 1000), { ordered: false });
  },

  bucketDoc,

  async findCase(id: string): Promise<ReportCase | null> {
    return casesRepository.findFields<ReportCase>(id, CASE_FIELDS);
  },

  async findEntry(id: string): Promise<RawEntry | null> {
    return Disbursement.findById(id, ENTRY_FIELDS).lean<RawEntry>();
  },

  /** Settled entries of some subtrees (null: all), or of the given members, streamed. */
  settledEntries(
    scope: { orgIds: readonly string[] | null } | { memberIds: readonly string[] },
  ): AsyncIterable<RawEntry> {
    const filter =
      'memberIds' in scope
        ? { memberId: { $in: scope.memberIds.map((id) => new Types.ObjectId(id)) } }
        : scope.orgIds
          ? { orgPath: { $in: scope.orgIds.map((id) => new Types.ObjectId(id)) } }
          : {};
    return Disbursement.find({ ...filter, status: { $in: SETTLED_ENTRY_STATUSES } }, ENTRY_FIELDS)
      .lean<RawEntry[]>()
      .cursor({ batchSize: SCAN_BATCH });
  },

  /** Every case of a subtree with what the report needs, streamed (a province may hold a million). */
  casesOf(orgId: string | null): AsyncIterable<ReportCase> {
    return casesRepository.submittedFields<ReportCase>(orgId, CASE_FIELDS);
  },

  /** Cases by id with what the report needs (the rebuild job's chunks). */
  async casesByIds(ids: readonly Types.ObjectId[]): Promise<ReportCase[]> {
    return ids.length ? casesRepository.findManyFields<ReportCase>(ids, CASE_FIELDS) : [];
  },

  async settledEntriesByIds(ids: readonly Types.ObjectId[]): Promise<RawEntry[]> {
    if (!ids.length) return [];
    const found = await Disbursement.find({ _id: { $in: [...ids] } }, ENTRY_FIELDS).lean<RawEntry[]>();
    return found.filter((e) => (SETTLED_ENTRY_STATUSES as readonly string[]).includes(e.status));
  },

  countSubmittedCases: () => casesRepository.countSubmitted(),

  async countSettledEntries(): Promise<number> {
    return Disbursement.countDocuments({ status: { $in: [...SETTLED_ENTRY_STATUSES] } });
  },

  /** Settled entries of a subtree, by case id (the rebuild joins them to their case in memory). */
  async entriesByCase(orgId: string | null): Promise<Map<string, RawEntry[]>> {
    const byCase = new Map<string, RawEntry[]>();
    const cursor = Disbursement.find(
      { ...(orgId ? { orgPath: orgId } : {}), status: { $in: SETTLED_ENTRY_STATUSES } },
      { caseId: 1, kind: 1, status: 1, amount: 1, paidAt: 1, fundId: 1 },
    )
      .lean<RawEntry[]>()
      .cursor({ batchSize: SCAN_BATCH });
    for await (const entry of cursor) {
      const list = byCase.get(String(entry.caseId)) ?? [];
      list.push(entry);
      byCase.set(String(entry.caseId), list);
    }
    return byCase;
  },

  /**
   * Net paid per beneficiary and group key in a period: beneficiaries are distinct people, which no sum of
   * monthly totals can give, so this one figure is read from the entries of the period (index orgPath+paidAt).
   */
  async netPaidByMember(
    orgId: string,
    from: string,
    to: string,
  ): Promise<
    {
      memberId: string;
      orgPath: string[];
      programCode: string;
      subtype: string | null;
      campaignId: string | null;
      fundId: string;
      month: string;
      net: number;
    }[]
  > {
    const pipeline: PipelineStage[] = [
      // An aggregation is not cast by the schema: the id must be an ObjectId here.
      {
        $match: {
          orgPath: new Types.ObjectId(orgId),
          paidAt: { $gte: from, $lte: to },
          status: { $in: [...SETTLED_ENTRY_STATUSES] },
        },
      },
      {
        $group: {
          _id: {
            m: '$memberId',
            o: '$orgId',
            p: '$programCode',
            s: '$subtype',
            c: '$campaignId',
            f: '$fundId',
            mo: '$paidMonth',
          },
          net: { $sum: '$amount' },
          orgPath: { $first: '$orgPath' },
        },
      },
    ];
    const rows = await Disbursement.aggregate<{ _id: Record<string, unknown>; net: number; orgPath: unknown[] }>(
      pipeline,
    );
    return rows.map((r) => ({
      memberId: String(r._id.m),
      orgPath: r.orgPath.map(String),
      programCode: String(r._id.p),
      subtype: (r._id.s as string | null) ?? null,
      campaignId: r._id.c ? String(r._id.c) : null,
      fundId: String(r._id.f),
      month: String(r._id.mo ?? ''),
      net: r.net,
    }));
  },

  /**
   * The register: every payment and reversal entry of a subtree in a period, in the order they were made, read in
   * batches (a city's Tết quarter is hundreds of thousands of entries; the register is written as it is read).
   */
  registerEntries(orgId: string, from: string, to: string): AsyncIterable<RegisterEntry> {
    return Disbursement.find(
      { orgPath: orgId, paidAt: { $gte: from, $lte: to }, status: { $in: [...SETTLED_ENTRY_STATUSES] } },
      {
        kind: 1,
        status: 1,
        amount: 1,
        paidAt: 1,
        voucherNo: 1,
        caseCode: 1,
        memberName: 1,
        orgId: 1,
        fundId: 1,
        fundCode: 1,
        trancheNo: 1,
        createdAt: 1,
      },
    )
      .sort({ paidAt: 1, createdAt: 1, _id: 1 })
      .lean<RegisterEntry[]>()
      .cursor({ batchSize: SCAN_BATCH });
  },
};

/** An entry of the register as read. */
export interface RegisterEntry {
  _id: unknown;
  kind: string;
  status: string;
  amount: number;
  paidAt: string;
  voucherNo: string;
  caseCode: string;
  memberName: string;
  orgId: unknown;
  fundId: unknown;
  fundCode: string;
  trancheNo: number;
}

export { OPEN_STATUSES };
