import { counterFields, type Counters, type Dims, type FlowCounter, type OpenStatus } from './events.js';
import { decodeValue, dimValuesAt, ROLLUP_DIMS, yearOf, type RollupDim } from './rollup-keys.js';
import type { ReportRecord } from './summary.js';

/**
 * The figures of one calendar year for one organisation's subtree, kept beside the monthly buckets by the
 * same events (totals.hooks.ts): in total and per value of each single grouping (rollup-keys.ts). A yearly
 * summary grouped by none or one of them reads the organisation's year documents by `_id` (an exact index
 * lookup on both engines) instead of adding up its buckets. Open cases are deltas here too: the figure at a
 * year's end is the sum over that year and every earlier one, so the years an organisation has are listed.
 */
export type YearFigures = { total?: Counters } & Partial<Record<RollupDim, Record<string, Counters>>>;
export interface YearDoc {
  _id: string;
  orgId: string;
  year: string;
  g: YearFigures;
}

export const yearDocId = (orgId: string, year: string) => `${orgId}|${year}`;

/** The `$inc` (below `g.`) that events add to the year documents of every organisation on their chains. */
export function yearIncs(
  events: Iterable<{ day: string; dims: Dims; counters: Counters }>,
): Map<string, { orgId: string; year: string; inc: Record<string, number> }> {
  const docs = new Map<string, { orgId: string; year: string; inc: Record<string, number> }>();
  for (const { day, dims, counters } of events) {
    const fields = Object.entries(counterFields(counters));
    if (!fields.length) continue;
    const year = yearOf(day);
    dims.orgPath.forEach((orgId, i) => {
      const id = yearDocId(orgId, year);
      let doc = docs.get(id);
      if (!doc) docs.set(id, (doc = { orgId, year, inc: {} }));
      const values = dimValuesAt(dims.orgPath, i, dims);
      const paths = ['total', ...ROLLUP_DIMS.map((dim) => `${dim}.${values[dim]}`)];
      for (const path of paths)
        for (const [field, v] of fields) doc.inc[`${path}.${field}`] = (doc.inc[`${path}.${field}`] ?? 0) + v;
    });
  }
  return docs;
}

/** Year documents built in memory from increments (the rebuild's side of the live `$inc`). */
export function yearDocs(incs: ReturnType<typeof yearIncs>): YearDoc[] {
  return [...incs].map(([_id, { orgId, year, inc }]) => {
    const g: Record<string, unknown> = {};
    for (const [path, v] of Object.entries(inc)) {
      if (!v) continue;
      const parts = path.split('.');
      let node = g;
      for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
      node[parts.at(-1)!] = v;
    }
    return { _id, orgId, year, g: g as YearFigures };
  });
}

const FUND_LEVEL: readonly string[] = ['fundApprovedCount', 'fundApprovedAmount', 'disbursedCount', 'disbursedAmount'];

/**
 * The year documents up to `year` as records for `summarise`: per grouping value one record of the case-level
 * counters (no fund) and one of the fund-level ones, dated on the year's first day (earlier years then only
 * carry open cases), with the dimensions set so that `summarise` keys them by that value.
 */
export function yearRecords(docs: readonly YearDoc[], dim: RollupDim | undefined, orgId: string): ReportRecord[] {
  const records: ReportRecord[] = [];
  for (const doc of docs) {
    const values: [string | null, Counters][] = dim
      ? Object.entries(doc.g[dim] ?? {}).map(([v, c]) => [decodeValue(v), c])
      : [[null, doc.g.total ?? {}]];
    for (const [value, counters] of values) {
      const dims: Dims = {
        orgId,
        orgPath: [orgId, dim === 'org' ? value! : orgId],
        programCode: dim === 'program' ? value! : '',
        subtype: dim === 'subtype' ? value! : '',
        campaignId: dim === 'campaign' ? value : null,
        fundId: null,
      };
      const caseLevel: Counters = { open: counters.open as Partial<Record<OpenStatus, number>> };
      const fundLevel: Counters = {};
      for (const [field, v] of Object.entries(counters)) {
        if (field === 'open') continue;
        (FUND_LEVEL.includes(field) ? fundLevel : caseLevel)[field as FlowCounter] = v as number;
      }
      const day = `${doc.year}-01-01`;
      records.push({ day, dims, counters: caseLevel });
      records.push({ day, dims: { ...dims, fundId: dim === 'fund' ? value : '-' }, counters: fundLevel });
    }
  }
  return records;
}
