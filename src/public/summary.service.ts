import { campaignsRepository } from '../campaigns/index.js';
import { NotFoundError } from '../core/errors.js';
import type { Principal } from '../core/scope.js';
import { vnDay } from '../core/shared/dates.js';
import { decisionsIssuedBy, type PublicDecision } from '../decisions/index.js';
import { orgsRepository } from '../orgs/index.js';
import { findProgram } from '../programs/index.js';
import { summaryReport, type SummaryReport } from '../reports/index.js';
import { foldSmallGroups, type PublicFigures, type PublicRow } from './folding.js';

export interface PublicSummary {
  org: { code: string; name: string };
  period: SummaryReport['period'];
  periodLabel: string;
  rows: PublicRow[];
  total: PublicFigures;
  decisions: (PublicDecision & { programName: string; campaignName: string | null })[];
  minGroupSize: number;
}

/** The quarter of today in Vietnam (`2026-Q4`): what the public page shows first. */
export function currentQuarter(today: string = vnDay()): string {
  return `${today.slice(0, 4)}-Q${Math.ceil(Number(today.slice(5, 7)) / 3)}`;
}

/** Program and campaign names, each read once per answer. */
function namesOf() {
  const cache = new Map<string, Promise<string>>();
  const once = (key: string, load: () => Promise<string>) => {
    if (!cache.has(key))
      cache.set(
        key,
        load().catch(() => key),
      );
    return cache.get(key)!;
  };
  return {
    program: (code: string) => once(`p:${code}`, async () => (await findProgram(code)).name),
    campaign: (id: string) => once(`c:${id}`, async () => (await campaignsRepository.findById(id))?.name ?? ''),
  };
}

/** Reads the province's totals as its own accountant would: the report's scope rule is kept, not bypassed. */
function readerOf(org: { _id: unknown; orgPath: unknown[] }): Principal {
  return {
    userId: 'public',
    username: 'public',
    fullName: 'Công khai',
    orgId: String(org._id),
    orgPath: org.orgPath.map(String),
    roles: [],
  };
}

const figuresOf = (f: SummaryReport['total']): PublicFigures => ({
  approved: { count: f.approved.count, amount: f.approved.amount },
  disbursed: { count: f.disbursed.count, amount: f.disbursed.amount },
  beneficiariesPaid: f.beneficiariesPaid,
});

/**
 * SPEC §15: a province's approvals and payments in a period, by program and campaign, from the same maintained
 * totals as the signed-in summary (so both agree to the đồng), with groups of fewer than five people folded
 * into "Khác", and the decisions it issued. Nothing personal is read: the report's rows carry only counts
 * and amounts, and decisions only their number, date, total and how many people.
 */
export async function publicSummary(code: string, periodKey: string = currentQuarter()): Promise<PublicSummary> {
  const org = await orgsRepository.findByCode(code.trim().toUpperCase());
  if (!org || org.level !== 'province') throw new NotFoundError('tỉnh, thành phố');
  const report = await summaryReport(readerOf(org), {
    period: periodKey,
    orgId: String(org._id),
    groupBy: ['program', 'campaign'],
  });
  const rows = report.rows.map((r) => ({
    key: { program: r.key.program ?? null, campaign: r.key.campaign ?? null },
    program: r.labels.program ?? '',
    campaign: r.key.campaign ? (r.labels.campaign ?? null) : null,
    ...figuresOf(r),
  }));
  const decisions = await decisionsIssuedBy(String(org._id), report.period.from, report.period.to);
  const name = namesOf();
  const folded = foldSmallGroups(rows);
  return {
    org: { code: org.code, name: org.name },
    period: report.period,
    periodLabel: report.periodLabel,
    rows: folded.rows,
    total: figuresOf(report.total),
    decisions: await Promise.all(
      decisions.map(async (d) => ({
        ...d,
        programName: await name.program(d.programCode),
        campaignName: d.campaignId ? await name.campaign(d.campaignId) : null,
      })),
    ),
    minGroupSize: folded.minGroupSize,
  };
}
