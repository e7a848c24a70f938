import { FLOW_COUNTERS, OPEN_STATUSES, type Counters, type Dims, type OpenStatus } from './events.js';
import type { Period } from './period.js';
import { GROUP_BY, type GroupDim } from '../core/shared/report-groups.js';
import { PAYEE_DIMS, type PayeeDim, type PayeeTally } from './payees.js';
import { decodeValue } from './rollup-keys.js';

export { GROUP_BY, type GroupDim };
export type GroupKey = Partial<Record<GroupDim, string | null>>;

/** The figures of one row and of the total, exactly as SPEC Appendix A shows them. */
export interface Figures {
  received: { count: number };
  approved: { count: number; amount: number };
  disbursed: { count: number; amount: number };
  beneficiariesPaid: number;
  openAtEnd: Record<OpenStatus, number>;
}

/** A dated contribution: a monthly bucket (day = the month's first day) or a single raw event. */
export interface ReportRecord {
  day: string;
  dims: Dims;
  counters: Counters;
}

export interface MemberNet {
  memberId: string;
  orgPath: string[];
  programCode: string;
  subtype: string | null;
  campaignId: string | null;
  fundId: string;
  month: string;
  net: number;
}

const emptyFigures = (): Figures => ({
  received: { count: 0 },
  approved: { count: 0, amount: 0 },
  disbursed: { count: 0, amount: 0 },
  beneficiariesPaid: 0,
  openAtEnd: Object.fromEntries(OPEN_STATUSES.map((s) => [s, 0])) as Record<OpenStatus, number>,
});

/** The child of the report's organisation that a record's union lies under (or the organisation itself). */
function childOf(orgPath: readonly string[], orgId: string): string {
  const i = orgPath.indexOf(orgId);
  return orgPath[i + 1] ?? orgId;
}

function keyOf(groupBy: readonly GroupDim[], orgId: string, d: Omit<Dims, 'orgId'> & { month: string }): GroupKey {
  const all: Record<GroupDim, string | null> = {
    program: d.programCode,
    subtype: d.subtype,
    org: childOf(d.orgPath, orgId),
    fund: d.fundId,
    month: d.month,
    campaign: d.campaignId,
  };
  return Object.fromEntries(groupBy.map((g) => [g, all[g]]));
}

/**
 * Adds up records into rows and a total. Flows count when their day is in the period; open-status deltas
 * count up to the period's end (by month: up to each month's end). With `fund` among the groups, approvals
 * are split by the funds they draw on; received and open cases belong to no fund (`fund: null`). The total
 * counts each approval once, whatever the grouping.
 */
/** Fills `beneficiariesPaid` of the rows (`row` finds or adds one by key) and of the total. */
export type PeopleCounter = (row: (key: GroupKey) => Figures, total: Figures) => void;

export function summarise(
  records: Iterable<ReportRecord>,
  countPeople: PeopleCounter,
  groupBy: readonly GroupDim[],
  orgId: string,
  period: Period,
  months: readonly string[],
) {
  const rows = new Map<string, { key: GroupKey; figures: Figures }>();
  const total = emptyFigures();
  const row = (key: GroupKey) => {
    const id = JSON.stringify(key);
    let entry = rows.get(id);
    if (!entry) rows.set(id, (entry = { key, figures: emptyFigures() }));
    return entry.figures;
  };
  const byFund = groupBy.includes('fund');
  for (const r of records) {
    if (r.day > period.to) continue;
    const month = r.day.slice(0, 7);
    const c = r.counters;
    const caseLevel = r.dims.fundId === null;
    if (r.day >= period.from && FLOW_COUNTERS.some((k) => c[k])) {
      const f = row(keyOf(groupBy, orgId, { ...r.dims, month }));
      if (caseLevel) {
        f.received.count += c.received ?? 0;
        total.received.count += c.received ?? 0;
        total.approved.count += c.approvedCount ?? 0;
        total.approved.amount += c.approvedAmount ?? 0;
        if (!byFund) {
          f.approved.count += c.approvedCount ?? 0;
          f.approved.amount += c.approvedAmount ?? 0;
        }
      } else {
        f.disbursed.count += c.disbursedCount ?? 0;
        f.disbursed.amount += c.disbursedAmount ?? 0;
        total.disbursed.count += c.disbursedCount ?? 0;
        total.disbursed.amount += c.disbursedAmount ?? 0;
        if (byFund) {
          f.approved.count += c.fundApprovedCount ?? 0;
          f.approved.amount += c.fundApprovedAmount ?? 0;
        }
      }
    }
    const open = Object.entries(c.open ?? {}).filter(([, v]) => v) as [OpenStatus, number][];
    if (!open.length) continue;
    // With months as a group, each month shows what was open at its own end.
    const targets = groupBy.includes('month') ? months.filter((m) => m >= month) : [month];
    for (const m of targets) {
      const f = row(keyOf(groupBy, orgId, { ...r.dims, month: m }));
      for (const [status, v] of open) f.openAtEnd[status] += v;
    }
    for (const [status, v] of open) total.openAtEnd[status] += v;
  }
  countPeople(row, total);
  const result = [...rows.values()].filter(({ figures: f }) => !isEmpty(f));
  result.sort((a, b) => JSON.stringify(Object.values(a.key)).localeCompare(JSON.stringify(Object.values(b.key))));
  return { rows: result, total };
}

/** Whether the maintained people-paid counters (payees.ts) answer this grouping: none or one of theirs. */
export function countedGrouping(groupBy: readonly GroupDim[]): groupBy is [] | [PayeeDim] {
  return groupBy.length === 0 || (groupBy.length === 1 && (PAYEE_DIMS as readonly string[]).includes(groupBy[0]!));
}

/** People paid from the maintained counters of the report's organisation and year. */
export function countedPeople(tally: PayeeTally, groupBy: [] | [PayeeDim]): PeopleCounter {
  return (row, total) => {
    const [dim] = groupBy;
    const counts: [GroupKey, number][] = dim
      ? Object.entries(tally[dim] ?? {}).map(([value, n]) => [{ [dim]: decodeValue(value) }, n])
      : [[{}, tally.total ?? 0]];
    for (const [key, n] of counts) if (n > 0) row(key).beneficiariesPaid = n;
    total.beneficiariesPaid = tally.total ?? 0;
  };
}

/** Distinct beneficiaries with a positive net payment, per row and overall (not a sum of rows), from the entries. */
export const peopleFromEntries =
  (members: readonly MemberNet[], groupBy: readonly GroupDim[], orgId: string): PeopleCounter =>
  (row, total) => {
    const perRow = new Map<string, { key: GroupKey; net: number }>();
    const perMember = new Map<string, number>();
    for (const m of members) {
      const key = keyOf(groupBy, orgId, { ...m, subtype: m.subtype ?? '', month: m.month });
      const id = `${m.memberId}|${JSON.stringify(key)}`;
      const entry = perRow.get(id) ?? { key, net: 0 };
      entry.net += m.net;
      perRow.set(id, entry);
      perMember.set(m.memberId, (perMember.get(m.memberId) ?? 0) + m.net);
    }
    for (const { key, net } of perRow.values()) if (net > 0) row(key).beneficiariesPaid += 1;
    total.beneficiariesPaid = [...perMember.values()].filter((net) => net > 0).length;
  };

function isEmpty(f: Figures): boolean {
  return (
    !f.received.count &&
    !f.approved.count &&
    !f.approved.amount &&
    !f.disbursed.count &&
    !f.disbursed.amount &&
    !f.beneficiariesPaid &&
    Object.values(f.openAtEnd).every((v) => !v)
  );
}
