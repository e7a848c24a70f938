import type { Collection } from 'mongodb';
import { Types, type PipelineStage } from 'mongoose';
import { casesRepository } from '../cases/index.js';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
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
import { counterId, crossings, markerId, payeeFields, type PayeeEntry, type PayeeTally } from './payees.js';
import { ReportPayee, ReportPayeeCount, ReportTotal, ReportYear, type ReportTotalDoc } from './reports.model.js';
import { flatNumbers } from './rollup-keys.js';
import { yearDocId, yearIncs, type YearDoc } from './yearly.js';

/**
 * The only file of the reports that touches the database. Reports read cases (through the cases repository)
 * and disbursement entries (read-only, through their model) and own the `report_totals` collection.
 */

const CASE_FIELDS = {
  orgId: 1,
  orgPath: 1,
  programCode: 1,
  subtype: 1,
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

export interface PayeeMarker {
  _id: string;
  year: string;
  memberId: string;
  n: Record<string, PayeeTally>;
}
interface PayeeCounter {
  _id: string;
  year: string;
  orgId: string;
  c: PayeeTally;
}
// The native collections: `n` and `c` are free-form maps, and an exact `_id` is all these queries use.
const markers = () => ReportPayee.collection as unknown as Collection<PayeeMarker>;
const counters = () => ReportPayeeCount.collection as unknown as Collection<PayeeCounter>;

interface YearList {
  _id: string;
  years: string[];
}
const yearDocs = () => ReportYear.collection as unknown as Collection<YearDoc>;
const yearLists = () => ReportYear.collection as unknown as Collection<YearList>;

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

/** `$inc` on a document created first if missing (insert, duplicate ignored), never by a racing upsert. */
async function incCreated<T extends { _id: string }>(
  collection: Collection<T>,
  doc: T,
  inc: Record<string, number>,
): Promise<void> {
  const filter = { _id: doc._id } as Parameters<Collection<T>['updateOne']>[0];
  if ((await collection.updateOne(filter, { $inc: inc } as never)).matchedCount === 1) return;
  await collection.insertOne(doc as never).catch((error: unknown) => {
    if (!isDuplicateKeyError(error)) throw error;
  });
  await collection.updateOne(filter, { $inc: inc } as never);
}

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

/** A tally as `$inc` paths below `c.` (zero entries left out). */
function flatten(tally: PayeeTally): Record<string, number> {
  return Object.fromEntries([...flatNumbers(tally)].map(([field, n]) => [`c.${field}`, n]));
}

export const reportsRepository = {
  /** One `$inc` on the event's bucket; a missing bucket is inserted first (a racing insert is fine), never upserted. */
  async addEvent(event: ReportEvent): Promise<void> {
    const inc = counterFields(event.counters);
    if (!Object.keys(inc).length) return;
    const month = event.day.slice(0, 7);
    const id = bucketKey(event.dims, month);
    if ((await ReportTotal.updateOne({ _id: id }, { $inc: inc })).matchedCount === 1) return;
    await ReportTotal.create(bucketDoc(event, month)).catch((error: unknown) => {
      if (!isDuplicateKeyError(error)) throw error;
    });
    await ReportTotal.updateOne({ _id: id }, { $inc: inc });
  },

  /**
   * Events added to the year figures of every organisation on their chains (yearly.ts), one `$inc` per
   * organisation and year. A new year is listed before its document is made: a listed year without a
   * document reads as nothing, a document that no list names would be missed.
   */
  async addToYears(events: readonly ReportEvent[]): Promise<void> {
    await Promise.all(
      [...yearIncs(events)].map(async ([_id, { orgId, year, inc }]) => {
        const g = Object.fromEntries(Object.entries(inc).map(([path, v]) => [`g.${path}`, v]));
        if ((await yearDocs().updateOne({ _id }, { $inc: g })).matchedCount === 1) return;
        const listed = await yearLists().updateOne({ _id: orgId }, { $addToSet: { years: year } });
        if (listed.matchedCount === 0) {
          await yearLists()
            .insertOne({ _id: orgId, years: [] })
            .catch((error: unknown) => {
              if (!isDuplicateKeyError(error)) throw error;
            });
          await yearLists().updateOne({ _id: orgId }, { $addToSet: { years: year } });
        }
        await incCreated(yearDocs(), { _id, orgId, year, g: {} }, g);
      }),
    );
  },

  /** The year documents of an organisation up to a year (the earlier ones carry its open cases). */
  async yearsUpTo(orgId: string, year: string): Promise<YearDoc[]> {
    const list = await yearLists().findOne({ _id: orgId });
    const ids = (list?.years ?? []).filter((y) => y <= year).map((y) => yearDocId(orgId, y));
    return ids.length
      ? yearDocs()
          .find({ _id: { $in: ids } })
          .toArray()
      : [];
  },

  /** The stored year documents of some organisations (null: all). */
  async storedYears(orgIds: readonly string[] | null): Promise<YearDoc[]> {
    return yearDocs()
      .find(orgIds ? { orgId: { $in: [...orgIds] } } : { year: { $exists: true } })
      .toArray();
  },

  /** Replaces the year documents and lists of some organisations (null: all) by recomputed ones. */
  async replaceYears(orgIds: readonly string[] | null, docs: readonly YearDoc[]): Promise<void> {
    if (orgIds) {
      await yearDocs().deleteMany({ orgId: { $in: [...orgIds] } });
      await yearLists().deleteMany({ _id: { $in: [...orgIds] } });
    } else await ReportYear.collection.deleteMany({});
    const lists = new Map<string, string[]>();
    for (const doc of docs) lists.set(doc.orgId, [...(lists.get(doc.orgId) ?? []), doc.year]);
    const all = [...[...lists].map(([_id, years]) => ({ _id, years })), ...docs];
    for (let i = 0; i < all.length; i += 1000)
      await ReportYear.collection.insertMany(all.slice(i, i + 1000) as never[], { ordered: false });
  },

  /** The buckets under any of some organisations (null: all). */
  async bucketsUnder(orgIds: readonly string[] | null): Promise<ReportTotalDoc[]> {
    return ReportTotal.find(orgIds ? { orgPath: { $in: [...orgIds] } } : {}).lean<ReportTotalDoc[]>();
  },

  /**
   * The buckets of a subtree up to the period's last month, added up in the database per bucket key: by
   * month when `byMonth`, else into two: the period's months (`m` = its first month) and every earlier one
   * (`m` = '0000-00', where only open cases count: they are a running sum).
   */
  async summedBuckets(orgId: string, firstMonth: string, lastMonth: string, byMonth: boolean) {
    const sums = Object.fromEntries(SUMMED.map((f) => [f.replace('.', '_'), { $sum: `$${f}` }]));
    const rows = await ReportTotal.aggregate<Omit<SummedBucket, 'sums'> & Record<string, number>>([
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
    return ReportTotal.find(orgId ? { orgPath: orgId } : {}).lean<ReportTotalDoc[]>();
  },

  /** Replaces the whole collection (or one subtree's buckets) with recomputed ones, in batches. */
  async replaceBuckets(
    orgId: string | null,
    docs: readonly (ReturnType<typeof bucketDoc> & Counters)[],
  ): Promise<void> {
    await ReportTotal.deleteMany(orgId ? { orgPath: orgId } : {});
    for (let i = 0; i < docs.length; i += 1000)
      await ReportTotal.insertMany(docs.slice(i, i + 1000), { ordered: false });
  },

  bucketDoc,

  async findCase(id: string): Promise<ReportCase | null> {
    return casesRepository.findFields<ReportCase>(id, CASE_FIELDS);
  },

  async findEntry(id: string): Promise<RawEntry | null> {
    return Disbursement.findById(id, ENTRY_FIELDS).lean<RawEntry>();
  },

  /**
   * A settled entry's amount added to its member's marker of the year (payees.ts); the zero crossings this
   * `$inc` causes, read from the marker as it was before (exact on both engines), move the counters.
   */
  async addPayee(entry: PayeeEntry): Promise<void> {
    const year = entry.paidAt.slice(0, 4);
    const memberId = String(entry.memberId);
    const fields = payeeFields(entry);
    const inc: Record<string, number> = {};
    for (const [orgId, list] of fields) for (const field of list) inc[`n.${orgId}.${field}`] = entry.amount;
    const _id = markerId(year, memberId);
    const add = () => markers().findOneAndUpdate({ _id }, { $inc: inc }, { returnDocument: 'before' });
    let before = await add();
    if (!before) {
      await markers()
        .insertOne({ _id, year, memberId, n: {} })
        .catch((error: unknown) => {
          if (!isDuplicateKeyError(error)) throw error;
        });
      before = await add();
    }
    for (const [orgId, moves] of crossings(before?.n, fields, entry.amount)) {
      const c = Object.fromEntries(Object.entries(moves).map(([field, v]) => [`c.${field}`, v]));
      await incCreated(counters(), { _id: counterId(year, orgId), year, orgId, c: {} }, c);
    }
  },

  /** How many people one organisation's subtree paid in a year, in total and per grouping value. */
  async payeeCount(year: string, orgId: string): Promise<PayeeTally> {
    return (await counters().findOne({ _id: counterId(year, orgId) }))?.c ?? {};
  },

  async payeeCounters(): Promise<PayeeCounter[]> {
    return counters().find({}).toArray();
  },

  async payeeMarkersOf(memberIds: readonly string[] | null): Promise<PayeeMarker[]> {
    return markers()
      .find(memberIds ? { memberId: { $in: [...memberIds] } } : {})
      .toArray();
  },

  /** Members whose markers count under an organisation (their entries may have moved away since). */
  async payeeMembersUnder(orgId: string): Promise<string[]> {
    const found = await markers()
      .find({ [`n.${orgId}`]: { $exists: true } }, { projection: { memberId: 1 } })
      .toArray();
    return found.map((m) => m.memberId);
  },

  /** Settled entries of a subtree (null: all), or of the given members, streamed. */
  settledEntries(scope: { orgId: string | null } | { memberIds: readonly string[] }): AsyncIterable<RawEntry> {
    const filter =
      'memberIds' in scope
        ? { memberId: { $in: scope.memberIds.map((id) => new Types.ObjectId(id)) } }
        : scope.orgId
          ? { orgPath: scope.orgId }
          : {};
    return Disbursement.find({ ...filter, status: { $in: SETTLED_ENTRY_STATUSES } }, ENTRY_FIELDS)
      .lean<RawEntry[]>()
      .cursor();
  },

  /**
   * Replaces the markers of the given members by recomputed ones and moves the counters by `counts` (their new
   * counts less their old ones); with null, every marker and counter is replaced and `counts` are the counters.
   */
  async replacePayees(
    memberIds: readonly string[] | null,
    docs: readonly PayeeMarker[],
    counts: Map<string, PayeeTally>,
  ): Promise<void> {
    await markers().deleteMany(memberIds ? { memberId: { $in: [...memberIds] } } : {});
    for (let i = 0; i < docs.length; i += 1000) await markers().insertMany(docs.slice(i, i + 1000), { ordered: false });
    if (!memberIds) {
      await counters().deleteMany({});
      const all = [...counts].map(([_id, c]) => {
        const [year, orgId] = _id.split('|') as [string, string];
        return { _id, year, orgId, c };
      });
      for (let i = 0; i < all.length; i += 1000)
        await counters().insertMany(all.slice(i, i + 1000), { ordered: false });
      return;
    }
    for (const [_id, c] of counts) {
      const inc = flatten(c);
      if (!Object.keys(inc).length) continue;
      const [year, orgId] = _id.split('|') as [string, string];
      await incCreated(counters(), { _id, year, orgId, c: {} }, inc);
    }
  },

  /** Every case of a subtree with what the report needs, streamed (a province may hold a million). */
  casesOf(orgId: string | null): AsyncIterable<ReportCase> {
    return casesRepository.submittedFields<ReportCase>(orgId, CASE_FIELDS);
  },

  /** Settled entries of a subtree, by case id (the rebuild joins them to their case in memory). */
  async entriesByCase(orgId: string | null): Promise<Map<string, RawEntry[]>> {
    const byCase = new Map<string, RawEntry[]>();
    const cursor = Disbursement.find(
      { ...(orgId ? { orgPath: orgId } : {}), status: { $in: SETTLED_ENTRY_STATUSES } },
      { caseId: 1, kind: 1, status: 1, amount: 1, paidAt: 1, fundId: 1 },
    )
      .lean<RawEntry[]>()
      .cursor();
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

  /** The register: every payment and reversal entry of a subtree in a period, in the order they were made. */
  async registerEntries(orgId: string, from: string, to: string) {
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
      .lean<
        {
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
        }[]
      >();
  },
};

export { OPEN_STATUSES };
