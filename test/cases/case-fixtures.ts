/**
 * Arrangement helpers for the case tests: a province tree with open campaigns, members and cases, the
 * documents a stage needs, and a way to drive a case to any status through the real API.
 */
import { expect } from 'chai';
import type request from 'supertest';
import { api, arrange, type Session } from '../support/api.js';
import { createProvinceTree, memberBody, unique, type ProvinceTree } from '../support/factory.js';
import { allocationsFor, provinceFund } from '../support/funds.js';
import { AuditEntry } from '../../src/audit/audit.model.js';
import { BenefitClaim, Case } from '../../src/cases/cases.model.js';
import type { CaseAction, CaseStatus } from '../../src/cases/workflow.js';
import { vnDay } from '../../src/core/shared/dates.js';
import type { Role } from '../../src/core/shared/roles.js';

/** A 1×1 PNG: the smallest file the upload endpoint accepts by its bytes. */
export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6300010000050001' +
    '0d0a2db40000000049454e44ae426082',
  'hex',
);

export const REASON = 'Thiếu xác nhận của UBND xã, đề nghị bổ sung';

export interface HistoryView {
  action: string;
  from: string | null;
  to: string | null;
  by: { id: string; name: string };
  at: string;
  note: string;
}

export interface CaseView {
  id: string;
  code: string;
  programCode: string;
  subtype: string;
  campaignId: string | null;
  memberId: string;
  memberName: string;
  orgId: string;
  orgPath: string[];
  status: CaseStatus;
  revision: number;
  requestedAmount: number;
  recommendedAmount: number | null;
  approvedAmount: number | null;
  disbursedAmount: number;
  allowedActions: CaseAction[];
  history: HistoryView[];
  documents: { id: string; type: string }[];
  memberSnapshot: Record<string, unknown> | null;
  verifiedBy: { id: string; name: string } | null;
  approvedBy: { id: string; name: string } | null;
}

export interface Campaign {
  id: string;
  code: string;
  programCode: string;
  approvedAmount: number;
  approvedCount: number;
}

export interface Member {
  id: string;
  fullName: string;
  citizenId: string;
  orgId: string;
}

export interface CaseWorld extends ProvinceTree {
  campaigns: { tet: Campaign; relief: Campaign };
}

export type Kind = 'union_house' | 'tet_gift' | 'disaster_relief';

// ---------------------------------------------------------------- days (Vietnam time)

export function vnToday(): string {
  return vnDay();
}

export function shiftDay(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The same day-of-month `months` earlier, clamped to the month's last day (31 March − 1 month → 28/29 February). */
export function monthsBefore(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) - months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

// ---------------------------------------------------------------- world

export async function createCampaign(
  approver: Session,
  programCode: string,
  days: { opensAt?: string; closesAt?: string } = {},
): Promise<Campaign> {
  const today = vnToday();
  return arrange<Campaign>(
    approver.post('/api/v1/campaigns', {
      code: unique(programCode === 'tet_gift' ? 'TET' : 'BAO'),
      programCode,
      name: programCode === 'tet_gift' ? 'Tết Bính Ngọ' : 'Bão số 3',
      opensAt: days.opensAt ?? shiftDay(today, -30),
      closesAt: days.closesAt ?? shiftDay(today, 30),
      budget: 500_000_000,
    }),
  );
}

/** A province tree of its own with one open Tết campaign, one open disaster-relief campaign and a fund to approve from. */
export async function caseWorld(): Promise<CaseWorld> {
  const tree = await createProvinceTree();
  const [tet, relief] = await Promise.all([
    createCampaign(tree.sessions.approver, 'tet_gift'),
    createCampaign(tree.sessions.approver, 'disaster_relief'),
    provinceFund(tree),
  ]);
  return { ...tree, campaigns: { tet, relief } };
}

/** The in-scope session holding each role that acts on cases (the province admin for `admin`). */
export function sessionsByRole(tree: ProvinceTree): Record<Role, Session> {
  const s = tree.sessions;
  return {
    grassroots_officer: s.officer,
    verifier: s.verifier,
    approver: s.approver,
    accountant: s.accountant,
    admin: s.admin,
  };
}

/**
 * Holders of each role for whom the case lies outside their subtree: the sibling union's officer and the
 * other province's verifier, approver and accountant.
 */
export function outsidersByRole(tree: ProvinceTree, foreign: ProvinceTree): Partial<Record<Role, Session>> {
  return {
    grassroots_officer: tree.sessions.siblingOfficer,
    verifier: foreign.sessions.verifier,
    approver: foreign.sessions.approver,
    accountant: foreign.sessions.accountant,
  };
}

/** A province's own rules for a program (SPEC §4): PUT /programs/:code/rules by its approver. */
export async function setProvinceRules(approver: Session, programCode: string, rules: Record<string, unknown>) {
  return arrange<{ rules: { maxAmount: Record<string, number>; requiresVerification: boolean } }>(
    api().put(`/api/v1/programs/${programCode}/rules`).set('Authorization', `Bearer ${approver.token}`).send({ rules }),
    200,
  );
}

// ---------------------------------------------------------------- members and cases

export async function createMember(
  officer: Session,
  orgId: string,
  overrides: Record<string, unknown> = {},
): Promise<Member> {
  return arrange<Member>(officer.post('/api/v1/members', memberBody(orgId, overrides)));
}

export function caseBody(
  world: CaseWorld,
  kind: Kind,
  memberId: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  switch (kind) {
    case 'union_house':
      return {
        programCode: 'union_house',
        subtype: 'new_build',
        memberId,
        requestedAmount: 50_000_000,
        situation: 'Nhà tạm, dột nát; vợ bệnh hiểm nghèo',
        details: {
          landStatus: 'owned',
          currentCondition: 'temporary',
          estimatedCost: 180_000_000,
          counterpartFunds: 130_000_000,
        },
        ...overrides,
      };
    case 'tet_gift':
      return {
        programCode: 'tet_gift',
        memberId,
        campaignId: world.campaigns.tet.id,
        requestedAmount: 1_000_000,
        situation: 'Hoàn cảnh khó khăn, con nhỏ',
        ...overrides,
      };
    case 'disaster_relief':
      return {
        programCode: 'disaster_relief',
        subtype: 'house_damaged',
        memberId,
        campaignId: world.campaigns.relief.id,
        requestedAmount: 3_000_000,
        situation: 'Nhà tốc mái sau bão',
        details: { damageDescription: 'Tốc mái, hỏng tường' },
        ...overrides,
      };
  }
}

export interface NewCaseOptions {
  /** The officer who creates it (default: the tree's officer) and the union of the member. */
  officer?: Session;
  orgId?: string;
  member?: Record<string, unknown>;
  body?: Record<string, unknown>;
}

/** A new member of the union and a draft case for them. */
export async function newCase(
  world: CaseWorld,
  kind: Kind = 'tet_gift',
  options: NewCaseOptions = {},
): Promise<{ member: Member; view: CaseView }> {
  const officer = options.officer ?? world.sessions.officer;
  const member = await createMember(officer, options.orgId ?? world.grassroots.id, options.member);
  const view = await arrange<CaseView>(officer.post('/api/v1/cases', caseBody(world, kind, member.id, options.body)));
  return { member, view };
}

export async function readCase(session: Session, id: string): Promise<CaseView> {
  return arrange<CaseView>(session.get(`/api/v1/cases/${id}`), 200);
}

export function act(session: Session, id: string, action: CaseAction, body: Record<string, unknown>): request.Test {
  return session.post(`/api/v1/cases/${id}/${action}`, body);
}

export async function actOk(
  session: Session,
  id: string,
  action: CaseAction,
  body: Record<string, unknown>,
): Promise<CaseView> {
  return arrange<CaseView>(act(session, id, action, body), 200);
}

/** The approval's `fundAllocations`: the whole amount from the test fund of the case's province (SPEC §7). */
export function fundAllocations(
  view: Partial<Pick<CaseView, 'orgPath'>>,
  amount: number,
): { fundId: string; amount: number }[] {
  return allocationsFor(view.orgPath?.[1], amount);
}

/** A body every check of the action accepts for this case (amounts at what was asked or recommended). */
export function bodyFor(
  action: CaseAction,
  view: Pick<CaseView, 'revision' | 'requestedAmount' | 'recommendedAmount'> & Partial<Pick<CaseView, 'orgPath'>>,
): Record<string, unknown> {
  const revision = view.revision;
  switch (action) {
    case 'verify':
      return { revision, recommendedAmount: view.requestedAmount, note: 'Đã khảo sát thực tế' };
    case 'approve': {
      const approvedAmount = view.recommendedAmount ?? view.requestedAmount;
      return { revision, approvedAmount, fundAllocations: fundAllocations(view, approvedAmount) };
    }
    case 'return':
    case 'reject':
    case 'revoke':
      return { revision, reason: REASON };
    default:
      return { revision };
  }
}

// ---------------------------------------------------------------- documents

type Stage = 'submit' | 'verify' | 'close';

export async function requiredDocuments(session: Session, programCode: string, stage: Stage): Promise<string[]> {
  const body = await arrange<{ rules: { requiredDocuments: Record<string, string[] | undefined> } }>(
    session.get(`/api/v1/programs/${programCode}/rules`),
    200,
  );
  return body.rules.requiredDocuments[stage] ?? [];
}

export async function upload(session: Session, caseId: string, type: string): Promise<void> {
  await arrange(
    session.upload(`/api/v1/cases/${caseId}/documents`).field('type', type).attach('file', PNG, `${type}.png`),
  );
}

export async function uploadAll(session: Session, caseId: string, types: readonly string[]): Promise<void> {
  await Promise.all(types.map((type) => upload(session, caseId, type)));
}

/** Uploads what the program requires at `stage` and answers the case as it is afterwards. */
export async function uploadStage(session: Session, view: CaseView, stage: Stage): Promise<CaseView> {
  const types = await requiredDocuments(session, view.programCode, stage);
  if (!types.length) return view;
  await uploadAll(session, view.id, types);
  return readCase(session, view.id);
}

// ---------------------------------------------------------------- driving a case

const ROUTE: Record<CaseStatus, CaseStatus[]> = {
  draft: [],
  submitted: ['submitted'],
  returned: ['submitted', 'returned'],
  verified: ['submitted', 'verified'],
  rejected: ['submitted', 'rejected'],
  cancelled: ['cancelled'],
  approved: ['submitted', 'verified', 'approved'],
  revoked: ['submitted', 'verified', 'approved', 'revoked'],
  partially_disbursed: ['submitted', 'verified', 'approved', 'partially_disbursed'],
  disbursed: ['submitted', 'verified', 'approved', 'disbursed'],
  closed: ['submitted', 'verified', 'approved', 'disbursed', 'closed'],
};

/**
 * A paid case is arranged by writing what a payment writes on the case (amount, status, history entry,
 * revision) straight into the database, so that the workflow tests do not depend on the payment rules:
 * paying the last union-house tranche needs the handover minutes, which the close test wants missing.
 * Real payments are tested in test/disbursements.
 */
export async function markPaid(
  view: CaseView,
  status: 'partially_disbursed' | 'disbursed' | 'approved',
  amount: number,
): Promise<void> {
  await Case.updateOne(
    { _id: view.id },
    {
      $set: { status, disbursedAmount: amount },
      $inc: { revision: 1 },
      $push: {
        history: {
          action: 'disburse',
          from: view.status,
          to: status,
          by: { id: 'test', name: 'Kế toán (kiểm thử)' },
          at: new Date(),
          note: '',
        },
      },
    },
  );
}

async function step(world: CaseWorld, view: CaseView, to: CaseStatus, officer: Session): Promise<CaseView> {
  const s = world.sessions;
  switch (to) {
    case 'submitted': {
      const ready = await uploadStage(officer, view, 'submit');
      return actOk(officer, view.id, 'submit', bodyFor('submit', ready));
    }
    case 'verified': {
      const ready = await uploadStage(s.verifier, view, 'verify');
      return actOk(s.verifier, view.id, 'verify', bodyFor('verify', ready));
    }
    case 'returned':
      return actOk(s.verifier, view.id, 'return', bodyFor('return', view));
    case 'rejected':
      return actOk(s.verifier, view.id, 'reject', bodyFor('reject', view));
    case 'cancelled':
      return actOk(officer, view.id, 'withdraw', bodyFor('withdraw', view));
    case 'approved':
      return actOk(s.approver, view.id, 'approve', bodyFor('approve', view));
    case 'revoked':
      return actOk(s.approver, view.id, 'revoke', bodyFor('revoke', view));
    case 'partially_disbursed':
    case 'disbursed': {
      const amount = view.approvedAmount ?? 0;
      await markPaid(view, to, to === 'disbursed' ? amount : Math.floor(amount / 2));
      return readCase(s.approver, view.id);
    }
    case 'closed': {
      const ready = await uploadStage(officer, view, 'close');
      return actOk(s.accountant, view.id, 'close', bodyFor('close', ready));
    }
    default:
      throw new Error(`no step leads to ${to}`);
  }
}

/** Drives a draft case along the usual path to `target`, each step through the API (payments excepted, see markPaid). */
export async function driveTo(
  world: CaseWorld,
  view: CaseView,
  target: CaseStatus,
  officer = world.sessions.officer,
): Promise<CaseView> {
  let current = view;
  for (const to of ROUTE[target]) current = await step(world, current, to, officer);
  expect(current.status).to.equal(target);
  return current;
}

/** A new member with a case already at `target`. */
export async function caseAt(
  world: CaseWorld,
  target: CaseStatus,
  kind: Kind = 'tet_gift',
  options: NewCaseOptions = {},
): Promise<CaseView> {
  const { view } = await newCase(world, kind, options);
  return driveTo(world, view, target, options.officer);
}

// ---------------------------------------------------------------- stored state

export async function storedCase(id: string) {
  const doc = await Case.findById(id).lean();
  expect(doc, `case ${id} is stored`).to.not.equal(null);
  return doc!;
}

/**
 * Everything a refused request could have changed: the case, its claims and its audit trail (reads of
 * personal data are left out: looking at a case to compare is not a change).
 */
export async function stateOf(id: string): Promise<string> {
  const [doc, claims, audit] = await Promise.all([
    Case.findById(id).lean(),
    BenefitClaim.find({ caseId: id }).lean(),
    AuditEntry.countDocuments({ entityId: id, action: { $ne: 'case.read_personal_data' } }),
  ]);
  return JSON.stringify({ doc, claims, audit });
}

export async function expectUnchanged(id: string, before: string, what = 'a refused request'): Promise<void> {
  expect(await stateOf(id), `${what} changed the stored case`).to.equal(before);
}

export function sequenceOf(code: string): number {
  return Number(code.split('-').at(-1));
}
