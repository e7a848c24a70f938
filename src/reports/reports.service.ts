import { campaignsRepository } from '../campaigns/index.js';
import { STATUS_NAMES } from '../cases/index.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import { isInScope, type Principal } from '../core/scope.js';
import { fundsRepository } from '../funds/index.js';
import { displayName, orgsRepository, type OrgRecord } from '../orgs/index.js';
import { findProgram } from '../programs/index.js';
import { isWholeMonths, monthsOf, periodLabel, resolvePeriod, type Period } from './period.js';
import type { FlowCounter, OpenStatus } from './events.js';
import { keptRepository } from './kept.repository.js';
import { reportsRepository } from './reports.repository.js';
import { yearRecords } from './yearly.js';
import {
  countedGrouping,
  countedPeople,
  peopleFromEntries,
  summarise,
  type Figures,
  type GroupDim,
  type GroupKey,
  type PeopleCounter,
  type ReportRecord,
} from './summary.js';
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

/**
 * A calendar year grouped by none or one of the kept groupings reads the organisation's year figures by id
 * (yearly.ts). Other whole months come from the monthly totals, added up by the database (the period's months apart from the
 * earlier ones, which only carry open cases); any other range from the raw records of the subtree.
 */
async function recordsFor(
  orgId: string,
  period: Period,
  groupBy: GroupDim[],
): Promise<{ records: ReportRecord[]; source: 'totals' | 'records' }> {
  const year = calendarYear(period);
  if (year && countedGrouping(groupBy)) {
    return {
      records: yearRecords(await keptRepository.yearsUpTo(orgId, year), groupBy[0], orgId),
      source: 'totals',
    };
  }
  const byMonth = groupBy.includes('month');
  if (isWholeMonths(period)) {
    const summed = await reportsRepository.summedBuckets(
      orgId,
      period.from.slice(0, 7),
      period.to.slice(0, 7),
      byMonth,
    );
    const records = summed.map(({ _id: b, orgPath, sums }) => {
      const counters: ReportRecord['counters'] = {};
      for (const [field, v] of Object.entries(sums)) {
        if (!v) continue;
        if (field.startsWith('open.')) (counters.open ??= {})[field.slice(5) as OpenStatus] = v;
        else counters[field as FlowCounter] = v;
      }
      return {
        day: `${b.m}-01`,
        dims: {
          orgId: String(b.o),
          orgPath: orgPath.map(String),
          programCode: b.p,
          subtype: b.s,
          campaignId: b.c ? String(b.c) : null,
          fundId: b.f ? String(b.f) : null,
        },
        counters,
      };
    });
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

/** The year a period spans whole (from 1 January to 31 December), else null. */
function calendarYear(period: Period): string | null {
  const year = period.from.slice(0, 4);
  return period.from === `${year}-01-01` && period.to === `${year}-12-31` ? year : null;
}

/** People paid: a calendar year under none or one grouping reads the maintained counter, anything else the entries. */
async function peopleCounter(orgId: string, period: Period, groupBy: GroupDim[]): Promise<PeopleCounter> {
  const year = calendarYear(period);
  if (year && countedGrouping(groupBy)) return countedPeople(await keptRepository.payeeCount(year, orgId), groupBy);
  return peopleFromEntries(await reportsRepository.netPaidByMember(orgId, period.from, period.to), groupBy, orgId);
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
  const [{ records, source }, countPeople] = await Promise.all([
    recordsFor(org.id, period, groupBy),
    peopleCounter(org.id, period, groupBy),
  ]);
  const { rows, total } = summarise(records, countPeople, groupBy, org.id, period, monthsOf(period));
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

/**
 * The accountant's register (sổ chi) as it is read: every payment and reversal entry of the period with a running
 * total, one line at a time, and the total once the lines are through. The scope is checked before the first line.
 */
export async function registerLines(
  principal: Principal,
  query: ReportQuery,
  keep: (no: number) => boolean = () => true,
) {
  const period = resolvePeriod(query);
  const org = await reportOrg(principal, query.orgId);
  const unionNames = new Map<string, string>();
  const unionName = async (id: string) => {
    let name = unionNames.get(id);
    if (name === undefined) {
      const union = await orgsRepository.findById(id);
      unionNames.set(id, (name = union ? displayName(union) : ''));
    }
    return name;
  };
  const total = { count: 0, amount: 0 };
  async function* lines(): AsyncGenerator<RegisterLine> {
    for await (const e of reportsRepository.registerEntries(org.id, period.from, period.to)) {
      total.count += 1;
      total.amount += e.amount;
      // A line of another page is counted, not looked up (its union) nor answered.
      if (!keep(total.count)) continue;
      yield {
        no: total.count,
        id: String(e._id),
        kind: e.kind as RegisterLine['kind'],
        paidAt: e.paidAt,
        voucherNo: e.voucherNo,
        caseCode: e.caseCode,
        beneficiary: e.memberName,
        unionId: String(e.orgId),
        union: await unionName(String(e.orgId)),
        fundId: String(e.fundId),
        fund: e.fundCode,
        amount: e.amount,
        runningTotal: total.amount,
      };
    }
  }
  return {
    period,
    periodLabel: periodLabel(period),
    org: { id: org.id, name: org.name },
    lines: lines(),
    /** Complete once `lines` is through. */
    total,
    printOrg: org,
  };
}

export type RegisterLines = Awaited<ReturnType<typeof registerLines>>;

/**
 * The register whole (JSON, and PDF up to `atMost` lines: more answers 400 naming `format`). A PDF of 5,000 lines is
 * about 110 pages, drawn in 9 s with the service at 450 MB; 20,000 took 32 s and 1.2 GB, and a city's Tết quarter
 * (350,000) would end the service. Longer registers are read as XLSX or CSV, written as they are read
 * (docs/reports.md "Large registers").
 */
export async function registerReport(
  principal: Principal,
  query: ReportQuery & { page?: number; limit?: number },
  atMost = Infinity,
) {
  const paging = query.limit || query.page ? { page: query.page ?? 1, limit: query.limit ?? 50 } : null;
  // One page of the register (the page's table): every line is still read for the total and the running totals.
  const keep = paging
    ? (no: number) => no > (paging.page - 1) * paging.limit && no <= paging.page * paging.limit
    : undefined;
  const { period, periodLabel, org, lines, total, printOrg } = await registerLines(principal, query, keep);
  const all: RegisterLine[] = [];
  for await (const line of lines) {
    if (all.length === atMost)
      throw new ValidationError(
        [
          {
            path: 'format',
            message: `Sổ chi trả của kỳ này có hơn ${formatCount(atMost)} bút toán, quá dài để in PDF; hãy tải XLSX hoặc CSV, hoặc chọn kỳ ngắn hơn hay đơn vị nhỏ hơn.`,
          },
        ],
        `Sổ chi trả có hơn ${formatCount(atMost)} bút toán: hãy tải XLSX hoặc CSV.`,
      );
    all.push(line);
  }
  return { period, periodLabel, org, lines: all, total, ...(paging ?? {}), printOrg };
}

const formatCount = (n: number) => n.toLocaleString('vi-VN');

export type RegisterReport = Awaited<ReturnType<typeof registerReport>>;
export { STATUS_NAMES };
