import { vnDay } from '../core/shared/dates.js';
import { OPEN_STATUSES, type OpenStatus } from '../core/shared/report-groups.js';

/**
 * What every case and payment adds to the report (SPEC §8 and Appendix A), derived in one place. The live
 * hooks, the rebuild, the consistency check and the report for arbitrary days all read these events, so the
 * maintained totals and a recomputation from the raw records cannot drift apart by construction.
 *
 * - received: a case's first submission (`submittedDay`); a resubmission after a return is the same case;
 * - approved: by the decision date (`approvedDay`), as long as the approval stands: a revoked approval is
 *   taken out of the period it was approved in (the decision is void);
 * - disbursed: every payment (+1, +amount) and reversal entry (−1, −amount) by its own day, as the register
 *   lists them, so the period's disbursed amount is the register's total;
 * - open: each status change adds −1 to the status left and +1 to the status entered when they are open;
 *   summed up to a day they give the open cases at the end of that day.
 */
export { OPEN_STATUSES, type OpenStatus };
const isOpen = (status: string | null | undefined): status is OpenStatus =>
  OPEN_STATUSES.includes(status as OpenStatus);

export const FLOW_COUNTERS = [
  'received',
  'approvedCount',
  'approvedAmount',
  'fundApprovedCount',
  'fundApprovedAmount',
  'disbursedCount',
  'disbursedAmount',
] as const;
export type FlowCounter = (typeof FLOW_COUNTERS)[number];
export type Counters = Partial<Record<FlowCounter, number>> & { open?: Partial<Record<OpenStatus, number>> };

/** The dimensions a report groups by. `fundId` is null on case-level events (received, approved, open). */
export interface Dims {
  orgId: string;
  orgPath: string[];
  programCode: string;
  subtype: string;
  campaignId: string | null;
  fundId: string | null;
}

export interface ReportEvent {
  day: string;
  dims: Dims;
  counters: Counters;
}

type Id = { toString(): string };
export interface ReportCase {
  _id: Id;
  orgId: Id;
  orgPath: Id[];
  programCode: string;
  subtype: string;
  campaignId?: Id | null;
  status: string;
  /** The subtype the report counts the case under: the one of its last submission (an edit waits for the next). */
  reportSubtype?: string | null;
  submittedDay?: string | null;
  approvedDay?: string | null;
  approvedAmount?: number | null;
  fundAllocations?: { fundId: Id; amount: number }[];
  history?: { action: string; from?: string | null; to?: string | null; at: Date }[];
}

export interface ReportEntry {
  kind: string;
  status: string;
  amount: number;
  paidAt: string;
  fundId: Id;
}

export const SETTLED_ENTRY_STATUSES = ['paid', 'reversed', 'reversal'] as const;

export function dimsOf(c: ReportCase, fundId: Id | null = null): Dims {
  return {
    orgId: String(c.orgId),
    orgPath: c.orgPath.map(String),
    programCode: c.programCode,
    subtype: c.subtype,
    campaignId: c.campaignId ? String(c.campaignId) : null,
    fundId: fundId ? String(fundId) : null,
  };
}

export function statusChangeEvent(
  c: ReportCase,
  from: string | null | undefined,
  to: string | null | undefined,
  at: Date,
): ReportEvent | null {
  if (!from || !to || from === to || (!isOpen(from) && !isOpen(to))) return null;
  const open: Partial<Record<OpenStatus, number>> = {};
  if (isOpen(from)) open[from] = -1;
  if (isOpen(to)) open[to] = 1;
  return { day: vnDay(at), dims: dimsOf(c), counters: { open } };
}

/** The approval's events, `sign` −1 to take a revoked one out again. */
export function approvalEvents(c: ReportCase, sign: 1 | -1): ReportEvent[] {
  const day = c.approvedDay!;
  const amount = c.approvedAmount ?? 0;
  return [
    { day, dims: dimsOf(c), counters: { approvedCount: sign, approvedAmount: sign * amount } },
    ...(c.fundAllocations ?? []).map((a) => ({
      day,
      dims: dimsOf(c, a.fundId),
      counters: { fundApprovedCount: sign, fundApprovedAmount: sign * a.amount },
    })),
  ];
}

export function entryEvent(c: ReportCase, entry: ReportEntry): ReportEvent | null {
  if (!(SETTLED_ENTRY_STATUSES as readonly string[]).includes(entry.status)) return null;
  return {
    day: entry.paidAt,
    dims: dimsOf(c, entry.fundId),
    counters: { disbursedCount: entry.kind === 'reversal' ? -1 : 1, disbursedAmount: entry.amount },
  };
}

/** Everything the case itself (without its payments) adds, from its stored days and its history. */
export function caseEvents(c: ReportCase): ReportEvent[] {
  const events: ReportEvent[] = [];
  if (c.submittedDay) events.push({ day: c.submittedDay, dims: dimsOf(c), counters: { received: 1 } });
  for (const h of c.history ?? []) {
    const event = statusChangeEvent(c, h.from, h.to, h.at);
    if (event) events.push(event);
  }
  if (c.approvedDay && c.status !== 'revoked') events.push(...approvalEvents(c, 1));
  return events;
}

/** The case as the report counts it: under the subtype of its last submission, when an edit changed it since. */
export function reportedCase<C extends ReportCase>(c: C): C {
  return c.reportSubtype && c.reportSubtype !== c.subtype ? { ...c, subtype: c.reportSubtype } : c;
}

export function negated(events: readonly ReportEvent[]): ReportEvent[] {
  return events.map((e) => ({
    ...e,
    counters: Object.fromEntries(
      Object.entries(e.counters).map(([k, v]) => [
        k,
        typeof v === 'number' ? -v : Object.fromEntries(Object.entries(v).map(([s, n]) => [s, -(n as number)])),
      ]),
    ) as Counters,
  }));
}

/** The monthly bucket an event lands in: the finest grain a report groups by, below any organisation. */
export function bucketKey(dims: Dims, month: string): string {
  return [dims.orgId, dims.programCode, dims.subtype, dims.campaignId ?? '-', dims.fundId ?? '-', month].join('|');
}

/** Adds `counters` into `target` (both plain objects); zero entries are kept, the caller may prune. */
export function addCounters(target: Counters, counters: Counters, factor = 1): void {
  for (const key of FLOW_COUNTERS) {
    const v = counters[key];
    if (v) target[key] = (target[key] ?? 0) + factor * v;
  }
  for (const [status, v] of Object.entries(counters.open ?? {})) {
    target.open ??= {};
    target.open[status as OpenStatus] = (target.open[status as OpenStatus] ?? 0) + factor * (v ?? 0);
  }
}

/** The counters as `$inc` fields (`received`, `open.submitted` …), zero ones left out. */
export function counterFields(counters: Counters): Record<string, number> {
  const inc: Record<string, number> = {};
  for (const key of FLOW_COUNTERS) if (counters[key]) inc[key] = counters[key];
  for (const [status, v] of Object.entries(counters.open ?? {})) if (v) inc[`open.${status}`] = v;
  return inc;
}

/** One event per bucket and day's month: a chunk's many events on the same bucket become one `$inc`. */
export function mergedByBucket(events: readonly ReportEvent[]): ReportEvent[] {
  const merged = new Map<string, ReportEvent>();
  for (const event of events) {
    const key = bucketKey(event.dims, event.day.slice(0, 7));
    const into = merged.get(key);
    if (into) addCounters(into.counters, event.counters);
    else merged.set(key, { ...event, counters: structuredClone(event.counters) });
  }
  return [...merged.values()];
}
