import {
  addCounters,
  bucketKey,
  caseEvents,
  entryEvent,
  FLOW_COUNTERS,
  reportedCase,
  OPEN_STATUSES,
  type Counters,
  type ReportEvent,
} from './events.js';
import { addTally, addToMarkers, countsOf, type PayeeTally } from './payees.js';
import type { ReportTotalDoc } from './reports.model.js';
import { keptRepository, type PayeeMarker } from './kept.repository.js';
import { reportsRepository } from './reports.repository.js';
import { flatNumbers } from './rollup-keys.js';
import { yearDocs, yearIncs, type YearDoc } from './yearly.js';

/**
 * The report recomputed from the raw records: every case (its stored days and history) and every settled
 * payment and reversal entry, through the same events as the live hooks. `npm run reports:rebuild` stores it;
 * the consistency check (also in `npm run reconcile`) compares it with the maintained totals.
 */
export type Bucket = ReturnType<typeof reportsRepository.bucketDoc> & Counters;

/** Every event of a subtree (null: the whole database), as the raw records give them. */
export async function* rawEvents(orgId: string | null): AsyncGenerator<ReportEvent> {
  const entries = await reportsRepository.entriesByCase(orgId);
  for await (const stored of reportsRepository.casesOf(orgId)) {
    const c = reportedCase(stored);
    yield* caseEvents(c);
    for (const entry of entries.get(String(c._id)) ?? []) {
      const event = entryEvent(c, entry);
      if (event) yield event;
    }
  }
}

export async function recomputeBuckets(orgId: string | null): Promise<Map<string, Bucket>> {
  const buckets = new Map<string, Bucket>();
  for await (const event of rawEvents(orgId)) {
    const month = event.day.slice(0, 7);
    const key = bucketKey(event.dims, month);
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = reportsRepository.bucketDoc(event, month)));
    addCounters(bucket, event.counters);
  }
  return buckets;
}

/**
 * The people-paid markers (payees.ts) recomputed from the settled entries: of every member (null), or for a
 * set of subtrees of the members with an entry in one or a marker counting under one (a reorganisation moves entries).
 */
export async function recomputePayees(
  orgIds: readonly string[] | null,
): Promise<{ memberIds: string[] | null; markers: PayeeMarker[] }> {
  let memberIds: string[] | null = null;
  if (orgIds) {
    const members = new Set(await keptRepository.payeeMembersUnder(orgIds));
    for await (const entry of reportsRepository.settledEntries({ orgIds })) members.add(String(entry.memberId));
    memberIds = [...members];
  }
  const markers = new Map<string, Omit<PayeeMarker, '_id'>>();
  for await (const entry of reportsRepository.settledEntries(memberIds ? { memberIds } : { orgIds: null }))
    addToMarkers(markers, entry);
  return { memberIds, markers: [...markers].map(([_id, m]) => ({ _id, ...m })) };
}

/** The people paid recomputed for the members with entries under some organisations (after a reorganisation). */
export const refreshPayeesUnder = (orgIds: readonly string[]) => rebuildPayees(orgIds);

async function rebuildPayees(orgIds: readonly string[] | null): Promise<void> {
  const { memberIds, markers } = await recomputePayees(orgIds);
  const counts = countsOf(markers);
  if (memberIds) {
    // Only these members' markers change: the counters move by their new counts less their old ones.
    for (const [id, old] of countsOf(await keptRepository.payeeMarkersOf(memberIds))) {
      const count: PayeeTally = counts.get(id) ?? {};
      addTally(count, old, -1);
      counts.set(id, count);
    }
  }
  await keptRepository.replacePayees(memberIds, markers, counts);
}

const bucketRecord = (b: ReportTotalDoc): ReportEvent => ({
  day: `${b.month}-01`,
  dims: {
    orgId: String(b.orgId),
    orgPath: b.orgPath.map(String),
    programCode: b.programCode,
    subtype: b.subtype,
    campaignId: b.campaignId ? String(b.campaignId) : null,
    fundId: b.fundId ? String(b.fundId) : null,
  },
  counters: b as unknown as Counters,
});

/** The year figures (yearly.ts) of some organisations (null: all) recomputed from the stored buckets. */
export async function recomputeYears(orgIds: readonly string[] | null): Promise<YearDoc[]> {
  const docs = yearDocs(yearIncs((await reportsRepository.bucketsUnder(orgIds)).map(bucketRecord)));
  return orgIds ? docs.filter((d) => orgIds.includes(d.orgId)) : docs;
}

/**
 * Recomputes the year figures of some organisations (null: all) from their buckets: after a rebuild, and
 * after a reorganisation moved buckets from one chain of organisations to another.
 */
export async function refreshYearlyFigures(orgIds: readonly string[] | null): Promise<void> {
  await keptRepository.replaceYears(orgIds, await recomputeYears(orgIds));
}

/**
 * After subtrees moved (`rootIds`, their chains rewritten in the buckets already): the year figures of the
 * organisations they left (`removed`) and of every organisation above them now, whose `org` rows changed.
 */
export async function refreshYearsAfterMove(rootIds: readonly string[], removed: readonly string[]): Promise<void> {
  const chain = new Set(removed);
  for (const b of await reportsRepository.bucketsUnder(rootIds)) {
    const path = b.orgPath.map(String);
    const at = path.findIndex((id) => rootIds.includes(id));
    for (const id of path.slice(0, Math.max(at, 0))) chain.add(id);
  }
  await refreshYearlyFigures([...chain]);
}

/** A subtree's organisations and the chain above it, as its buckets name them (null: the whole database). */
function orgsOf(orgId: string | null, buckets: Iterable<{ orgPath: readonly unknown[] }>): string[] | null {
  if (!orgId) return null;
  const orgs = new Set([orgId]);
  for (const b of buckets) for (const id of b.orgPath) orgs.add(String(id));
  return [...orgs];
}

/** Replaces the stored totals by the recomputation. Run it with the service stopped (as `npm run reconcile`). */
export async function rebuildReportTotals(orgId: string | null = null): Promise<{ buckets: number }> {
  const buckets = [...(await recomputeBuckets(orgId)).values()];
  await reportsRepository.replaceBuckets(orgId, buckets);
  await refreshYearlyFigures(orgsOf(orgId, buckets));
  await rebuildPayees(orgId ? [orgId] : null);
  return { buckets: buckets.length };
}

export interface TotalsDifference {
  bucket: string;
  field: string;
  recorded: number;
  expected: number;
}

const FIELDS = [...FLOW_COUNTERS, ...OPEN_STATUSES.map((s) => `open.${s}`)];

function valueOf(bucket: Counters | undefined, field: string): number {
  if (!bucket) return 0;
  if (field.startsWith('open.')) return bucket.open?.[field.slice(5) as keyof Counters['open']] ?? 0;
  return (bucket[field as keyof typeof bucket] as number) ?? 0;
}

/** Every bucket field whose maintained value differs from the recomputation (an empty list: they agree). */
export async function checkReportTotals(
  orgId: string | null = null,
): Promise<{ buckets: number; differences: TotalsDifference[] }> {
  const expected = await recomputeBuckets(orgId);
  const recorded = new Map((await reportsRepository.allBuckets(orgId)).map((b) => [b._id, b as unknown as Counters]));
  const differences: TotalsDifference[] = [];
  for (const key of new Set([...expected.keys(), ...recorded.keys()])) {
    for (const field of FIELDS) {
      const [r, e] = [valueOf(recorded.get(key), field), valueOf(expected.get(key), field)];
      if (r !== e) differences.push({ bucket: key, field, recorded: r, expected: e });
    }
  }
  differences.push(...(await checkPayees(orgId)), ...(await checkYears(orgsOf(orgId, expected.values()))));
  return { buckets: expected.size, differences };
}

/** The people-paid markers of the scope against their recomputation; for the whole database the counters too. */
async function checkPayees(orgId: string | null): Promise<TotalsDifference[]> {
  const { memberIds, markers } = await recomputePayees(orgId ? [orgId] : null);
  const recorded = await keptRepository.payeeMarkersOf(memberIds);
  const differences = compareTallies(
    'người được chi',
    new Map(recorded.flatMap((m) => Object.entries(m.n).map(([org, t]) => [`${m._id}|${org}`, t] as const))),
    new Map(markers.flatMap((m) => Object.entries(m.n).map(([org, t]) => [`${m._id}|${org}`, t] as const))),
  );
  if (orgId) return differences;
  const counters = await keptRepository.payeeCounters();
  return [
    ...differences,
    ...compareTallies('đếm người được chi', new Map(counters.map((c) => [c._id, c.c])), countsOf(markers)),
  ];
}

/** The stored year figures of some organisations against their recomputation from the buckets. */
async function checkYears(orgIds: string[] | null): Promise<TotalsDifference[]> {
  const byId = (docs: YearDoc[]) => new Map(docs.map((d) => [d._id, d.g]));
  return compareTallies(
    'số liệu năm',
    byId(await keptRepository.storedYears(orgIds)),
    byId(await recomputeYears(orgIds)),
  );
}

function compareTallies(
  what: string,
  recorded: Map<string, object>,
  expected: Map<string, object>,
): TotalsDifference[] {
  const differences: TotalsDifference[] = [];
  for (const key of new Set([...recorded.keys(), ...expected.keys()])) {
    const [r, e] = [flatNumbers(recorded.get(key)), flatNumbers(expected.get(key))];
    for (const field of new Set([...r.keys(), ...e.keys()])) {
      const [rv, ev] = [r.get(field) ?? 0, e.get(field) ?? 0];
      if (rv !== ev) differences.push({ bucket: `${what} ${key}`, field, recorded: rv, expected: ev });
    }
  }
  return differences;
}
