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
import { reportsRepository } from './reports.repository.js';

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

/** Replaces the stored totals by the recomputation. Run it with the service stopped (as `npm run reconcile`). */
export async function rebuildReportTotals(orgId: string | null = null): Promise<{ buckets: number }> {
  const buckets = [...(await recomputeBuckets(orgId)).values()];
  await reportsRepository.replaceBuckets(orgId, buckets);
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
  return { buckets: expected.size, differences };
}
