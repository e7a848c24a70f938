import {
  addCounters,
  bucketKey,
  caseEvents,
  entryEvent,
  FLOW_COUNTERS,
  OPEN_STATUSES,
  type Counters,
  type ReportEvent,
} from './events.js';
import { addTally, addToMarkers, countsOf, flatTally, type PayeeTally } from './payees.js';
import { reportsRepository, type PayeeMarker } from './reports.repository.js';

/**
 * The report recomputed from the raw records: every case (its stored days and history) and every settled
 * payment and reversal entry, through the same events as the live hooks. `npm run reports:rebuild` stores it;
 * the consistency check (also in `npm run reconcile`) compares it with the maintained totals.
 */
export type Bucket = ReturnType<typeof reportsRepository.bucketDoc> & Counters;

/** Every event of a subtree (null: the whole database), as the raw records give them. */
export async function* rawEvents(orgId: string | null): AsyncGenerator<ReportEvent> {
  const entries = await reportsRepository.entriesByCase(orgId);
  for await (const c of reportsRepository.casesOf(orgId)) {
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
 * subtree of the members with an entry in it or a marker counting under it (a reorganisation moves entries).
 */
export async function recomputePayees(
  orgId: string | null,
): Promise<{ memberIds: string[] | null; markers: PayeeMarker[] }> {
  let memberIds: string[] | null = null;
  if (orgId) {
    const members = new Set(await reportsRepository.payeeMembersUnder(orgId));
    for await (const entry of reportsRepository.settledEntries({ orgId })) members.add(String(entry.memberId));
    memberIds = [...members];
  }
  const markers = new Map<string, Omit<PayeeMarker, '_id'>>();
  for await (const entry of reportsRepository.settledEntries(memberIds ? { memberIds } : { orgId: null }))
    addToMarkers(markers, entry);
  return { memberIds, markers: [...markers].map(([_id, m]) => ({ _id, ...m })) };
}

async function rebuildPayees(orgId: string | null): Promise<void> {
  const { memberIds, markers } = await recomputePayees(orgId);
  const counts = countsOf(markers);
  if (memberIds) {
    // Only these members' markers change: the counters move by their new counts less their old ones.
    for (const [id, old] of countsOf(await reportsRepository.payeeMarkersOf(memberIds)))
      addTally((counts.get(id) ?? counts.set(id, {}).get(id)!) as PayeeTally, old, -1);
  }
  await reportsRepository.replacePayees(memberIds, markers, counts);
}

/** Replaces the stored totals by the recomputation. Run it with the service stopped (as `npm run reconcile`). */
export async function rebuildReportTotals(orgId: string | null = null): Promise<{ buckets: number }> {
  const buckets = [...(await recomputeBuckets(orgId)).values()];
  await reportsRepository.replaceBuckets(orgId, buckets);
  await rebuildPayees(orgId);
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
  differences.push(...(await checkPayees(orgId)));
  return { buckets: expected.size, differences };
}

/** The people-paid markers of the scope against their recomputation; for the whole database the counters too. */
async function checkPayees(orgId: string | null): Promise<TotalsDifference[]> {
  const { memberIds, markers } = await recomputePayees(orgId);
  const recorded = await reportsRepository.payeeMarkersOf(memberIds);
  const differences = compareTallies(
    'payees',
    new Map(recorded.flatMap((m) => Object.entries(m.n).map(([org, t]) => [`${m._id}|${org}`, t] as const))),
    new Map(markers.flatMap((m) => Object.entries(m.n).map(([org, t]) => [`${m._id}|${org}`, t] as const))),
  );
  if (orgId) return differences;
  const counters = await reportsRepository.payeeCounters();
  return [
    ...differences,
    ...compareTallies('payee counts', new Map(counters.map((c) => [c._id, c.c])), countsOf(markers)),
  ];
}

function compareTallies(
  what: string,
  recorded: Map<string, PayeeTally>,
  expected: Map<string, PayeeTally>,
): TotalsDifference[] {
  const differences: TotalsDifference[] = [];
  for (const key of new Set([...recorded.keys(), ...expected.keys()])) {
    const [r, e] = [flatTally(recorded.get(key)), flatTally(expected.get(key))];
    for (const field of new Set([...r.keys(), ...e.keys()])) {
      const [rv, ev] = [r.get(field) ?? 0, e.get(field) ?? 0];
      if (rv !== ev) differences.push({ bucket: `${what} ${key}`, field, recorded: rv, expected: ev });
    }
  }
  return differences;
}
