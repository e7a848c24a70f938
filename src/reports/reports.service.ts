import { campaignsRepository } from '../campaigns/index.js';
import { STATUS_NAMES } from '../cases/index.js';
import { NotFoundError } from '../core/errors.js';
import { isInScope, type Principal } from '../core/scope.js';
import { fundsRepository } from '../funds/index.js';
import { displayName, orgsRepository, type OrgRecord } from '../orgs/index.js';
import { findProgram } from '../programs/index.js';
import { isWholeMonths, monthsOf, periodLabel, resolvePeriod, type Period } from './period.js';
import { reportsRepository } from './reports.repository.js';
import { summarise, type Figures, type GroupDim, type GroupKey, type ReportRecord } from './summary.js';
import { rawEvents } from './totals.rebuild.js';

export interface ReportQuery {
  period?: string;
  from?: string;
  to?: string;
  orgId?: string;
  groupBy?: GroupDim[];
}

export interface ReportOrg {
  id: string;
  name: string;
  shortName: string;
  parentName: string;
  place: string;
}

/** The organisation a report is about: the caller's own by default; outside the caller's subtree it does not exist. */
async function reportOrg(principal: Principal, orgId: string | undefined): Promise<ReportOrg & { record: OrgRecord }> {
  const org = await orgsRepository.findById(orgId ?? principal.orgId);
  if (!org || !isInScope(principal, org.orgPath.map(String))) throw new NotFoundError('đơn vị');
  const parent = org.parentId ? await orgsRepository.findById(String(org.parentId)) : null;
  return {
    id: String(org._id),
    name: org.name,
    shortName: org.shortName,
    parentName: parent?.name ?? org.parentName ?? '',
    place: org.place ?? '',
    record: org,
  };
}

/** Whole months come from the monthly totals; any other range from the raw records of the subtree. */
async function recordsFor(
  orgId: string,
  period: Period,
): Promise<{ records: ReportRecord[]; source: 'totals' | 'records' }> {
  if (isWholeMonths(period)) {
    const buckets = await reportsRepository.bucketsUpTo(orgId, period.to.slice(0, 7));
    const records = buckets.map((b) => ({
      day: `${b.month}-01`,
      dims: {
        orgId: String(b.orgId),
        orgPath: b.orgPath.map(String),
        programCode: b.programCode,
        subtype: b.subtype,
        campaignId: b.campaignId ? String(b.campaignId) : null,
        fundId: b.fundId ? String(b.fundId) : null,
      },
      counters: b as unknown as ReportRecord['counters'],
    }));
    return { records, source: 'totals' };
  }
  const records: ReportRecord[] = [];
  for await (const event of rawEvents(orgId)) if (event.day <= period.to) records.push(event);
  return { records, source: 'records' };
}

export type Labels = Partial<Record<GroupDim, string>>;

/** Names for people: programs, unions, funds and campaigns by their Vietnamese names, months as "Tháng 08/2026". */
async function labeller(): Promise<(key: GroupKey) => Promise<Labels>> {
  const cache = new Map<string, Promise<string>>();
  const cached = (id: string, load: () => Promise<string>) => {
    if (!cache.has(id))
      cache.set(
        id,
        load().catch(() => id),
      );
    return cache.get(id)!;
  };
  const name: Record<GroupDim, (v: string) => Promise<string>> = {
    program: (v) => cached(`p:${v}`, async () => (await findProgram(v)).name),
    subtype: async (v) => v,
    org: (v) =>
      cached(`o:${v}`, async () => {
        const org = await orgsRepository.findById(v);
        return org ? displayName(org) : v;
      }),
    fund: (v) =>
      cached(`f:${v}`, async () => {
        const fund = await fundsRepository.findById(v);
        return fund ? `${fund.code} — ${fund.name}` : v;
      }),
    month: async (v) => `Tháng ${v.slice(5)}/${v.slice(0, 4)}`,
    campaign: (v) => cached(`c:${v}`, async () => (await campaignsRepository.findById(v))?.name ?? v),
  };
  return async (key) => {
    const labels: Labels = {};
    for (const [dim, value] of Object.entries(key) as [GroupDim, string | null][]) {
      labels[dim] = value === null ? (dim === 'fund' ? '(không theo nguồn)' : '(không có)') : await name[dim](value);
    }
    return labels;
  };
}

export type SummaryRow = { key: GroupKey; labels: Labels } & Figures;

export interface SummaryReport {
  period: Period;
  periodLabel: string;
  org: { id: string; name: string };
  groupBy: GroupDim[];
  source: 'totals' | 'records';
  /** SPEC Appendix A: each row's figures stand beside its key (and its labels, the key's names for people). */
  rows: SummaryRow[];
  total: Figures;
}

export async function summaryReport(
  principal: Principal,
  query: ReportQuery,
): Promise<SummaryReport & { printOrg: ReportOrg }> {
  const period = resolvePeriod(query);
  const org = await reportOrg(principal, query.orgId);
  const groupBy = [...new Set(query.groupBy ?? [])];
  const [{ records, source }, members] = await Promise.all([
    recordsFor(org.id, period),
    reportsRepository.netPaidByMember(org.id, period.from, period.to),
  ]);
  const { rows, total } = summarise(records, members, groupBy, org.id, period, monthsOf(period));
  const label = await labeller();
  return {
    period,
    periodLabel: periodLabel(period),
    org: { id: org.id, name: org.name },
    groupBy,
    source,
    rows: await Promise.all(rows.map(async (r) => ({ key: r.key, labels: await label(r.key), ...r.figures }))),
    total,
    printOrg: org,
  };
}

export interface RegisterLine {
  no: number;
  id: string;
  kind: 'payment' | 'reversal';
  paidAt: string;
  voucherNo: string;
  caseCode: string;
  beneficiary: string;
  unionId: string;
  union: string;
  fundId: string;
  fund: string;
  amount: number;
  runningTotal: number;
}

/** The accountant's register (sổ chi): every payment and reversal entry of the period with a running total. */
export async function registerReport(principal: Principal, query: ReportQuery) {
  const period = resolvePeriod(query);
  const org = await reportOrg(principal, query.orgId);
  const entries = await reportsRepository.registerEntries(org.id, period.from, period.to);
  const unionNames = new Map<string, string>();
  for (const id of new Set(entries.map((e) => String(e.orgId)))) {
    const union = await orgsRepository.findById(id);
    unionNames.set(id, union ? displayName(union) : '');
  }
  let running = 0;
  const lines: RegisterLine[] = entries.map((e, i) => {
    running += e.amount;
    return {
      no: i + 1,
      id: String(e._id),
      kind: e.kind as RegisterLine['kind'],
      paidAt: e.paidAt,
      voucherNo: e.voucherNo,
      caseCode: e.caseCode,
      beneficiary: e.memberName,
      unionId: String(e.orgId),
      union: unionNames.get(String(e.orgId)) ?? '',
      fundId: String(e.fundId),
      fund: e.fundCode,
      amount: e.amount,
      runningTotal: running,
    };
  });
  return {
    period,
    periodLabel: periodLabel(period),
    org: { id: org.id, name: org.name },
    lines,
    total: { count: lines.length, amount: running },
    printOrg: org,
  };
}

export type RegisterReport = Awaited<ReturnType<typeof registerReport>>;
export { STATUS_NAMES };
