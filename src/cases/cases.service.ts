import { Types } from 'mongoose';
import { recordAudit, recordAudits } from '../audit/index.js';
import { nextSequence, reserveSequence } from '../core/db/counters.js';
import { vnDayStart, vnYear } from '../core/shared/dates.js';
import { stepPause } from '../core/shared/step-pause.js';
import { ConflictError, ValidationError } from '../core/errors.js';
import type { ListQuery } from '../core/http/common-schemas.js';
import type { Actor, Principal } from '../core/scope.js';
import { escapeRegex, searchKey } from '../core/search-text.js';
import { getMemberInScope, type MemberRecord } from '../members/index.js';
import { grassrootsVerifiedBy, shownVerifierOf } from '../orgs/index.js';
import {
  effectiveRules,
  findProgram,
  openProgram,
  provinceIdOf,
  type ProgramData,
  type ProgramRules,
} from '../programs/index.js';
import { campaignFor, getCaseInScope, programContextOf, subtypeFor } from './case-context.js';
import { capOf, membershipEnded, RuleError } from './checks.js';
import { beginAuditedWrite, dropAuditedWrite, endAuditedWrite, unfenced } from './audited-writes.js';
import { creationAudit, recordCreation } from './creation-audit.js';
import { casesRepository, type CaseRecord } from './cases.repository.js';
import { allowedActions } from './transitions.service.js';
import { EDITABLE_STATUSES } from './workflow.js';

export interface CaseInput {
  programCode: string;
  subtype?: string;
  memberId: string;
  campaignId?: string | null;
  requestedAmount: number;
  situation?: string;
  details?: Record<string, unknown>;
}

export type CaseChanges = Partial<Omit<CaseInput, 'programCode'>> & { revision: number };

async function checkAmountWithinCap(
  record: Pick<CaseRecord, 'programCode' | 'orgPath' | 'campaignId' | 'subtype' | 'requestedAmount'>,
) {
  const { rules, program } = await programContextOf(record);
  const cap = capOf({ rules, record: record as CaseRecord });
  if (record.requestedAmount > cap) {
    throw new RuleError(
      'AMOUNT_EXCEEDS_CAP',
      `Số tiền đề nghị vượt mức tối đa của ${program.name} (${record.subtype}).`,
      { cap },
    );
  }
}

interface DraftCommon {
  program: ProgramData;
  subtype: string;
  campaignId: Types.ObjectId | null;
  /** The list the case was imported from (batches feature); clients cannot set it through POST /cases. */
  batchId?: Types.ObjectId;
}

/** A new draft case of the member: the fields every creation sets alike (one by one, or a list at once). */
function draftOf(
  member: MemberRecord,
  common: DraftCommon,
  filed: { requestedAmount: number; situation?: string; details?: Record<string, unknown> },
  code: string,
  actor: Actor,
  now: Date,
) {
  const by = { id: actor.userId, name: actor.name };
  return {
    code,
    programCode: common.program.code,
    subtype: common.subtype,
    campaignId: common.campaignId,
    memberId: member._id,
    memberSnapshot: null,
    memberName: member.fullName,
    memberSearchName: searchKey(member.fullName),
    memberCitizenId: member.citizenId,
    orgId: member.orgId,
    orgPath: member.orgPath,
    requestedAmount: filed.requestedAmount,
    recommendedAmount: null,
    approvedAmount: null,
    disbursedAmount: 0,
    situation: filed.situation ?? '',
    details: filed.details ?? {},
    documents: [],
    status: 'draft' as const,
    history: [{ action: 'create' as const, from: null, to: 'draft', by, at: now, note: '' }],
    revision: 1,
    claimKey: null,
    createdBy: by,
    submittedAt: null,
    verifiedBy: null,
    verifiedAt: null,
    approvedBy: null,
    approvedAt: null,
    decisionId: null,
    batchId: common.batchId ?? null,
  };
}

const codeOf = (program: ProgramData, year: number, sequence: number) =>
  `${program.codePrefix}-${year}-${String(sequence).padStart(6, '0')}`;

export async function createCase(principal: Principal, actor: Actor, input: CaseInput): Promise<CaseRecord> {
  const program = await openProgram(input.programCode);
  const member = await getMemberInScope(principal, input.memberId);
  if (member.membershipEndedAt) throw membershipEnded(member);
  const orgPath = member.orgPath.map(String);
  const subtype = subtypeFor(program.rules, input.subtype);
  const campaign = await campaignFor(principal, program, input.campaignId, provinceIdOf(orgPath));
  await checkAmountWithinCap({
    programCode: program.code,
    orgPath: member.orgPath,
    campaignId: campaign?._id ?? null,
    subtype,
    requestedAmount: input.requestedAmount,
  });

  const year = vnYear();
  const sequence = await nextSequence(`case:${program.codePrefix}:${year}`);
  const id = new Types.ObjectId();
  const record = await casesRepository.insert({
    _id: id,
    ...draftOf(
      member,
      { program, subtype, campaignId: campaign?._id ?? null },
      input,
      codeOf(program, year, sequence),
      actor,
      new Date(),
    ),
    // Owed until the round sees the entry below stored: a crash between the two leaves it to the round (creation-audit.ts).
    creationAuditDue: String(id),
  });
  await stepPause();
  await recordCreation(record, actor);
  return record;
}

/**
 * The draft cases of an imported list, all at once: codes reserved with one counter step, one insert, one
 * audit write, in the order given. The list's importer has already applied, once for the whole list, the
 * rules `createCase` applies to one case (program active, subtype, campaign of the province, amount within
 * the cap, members of the officer's union: batches/list-context.ts and import.service.ts). A draft takes no
 * claim, so nothing else is checked at creation.
 */
export async function createListDrafts(
  actor: Actor,
  common: DraftCommon & { batchId: Types.ObjectId },
  rows: readonly { member: MemberRecord; requestedAmount: number; situation: string; id?: Types.ObjectId }[],
): Promise<CaseRecord[]> {
  if (!rows.length) return [];
  const year = vnYear();
  const now = new Date();
  // Ids in the rows' order, so the cases sort in the order of the file. A row that comes with its own id (a list
  // imported as a job) is inserted once: a row inserted by an earlier attempt of the job is left as it is.
  let pending = rows.map((row) => ({ row, id: row.id ?? new Types.ObjectId() }));
  const order = new Map(pending.map(({ id }, i) => [String(id), i]));
  const made: CaseRecord[] = [];
  // A code already taken (a case counter set back, e.g. by a restore) refuses its row: it gets the next code.
  for (let attempt = 0; pending.length; attempt += 1) {
    if (attempt === 5) throw new Error(`list drafts: ${pending.length} cases refused again and again by a unique key`);
    const first = await reserveSequence(`case:${common.program.codePrefix}:${year}`, pending.length);
    const { inserted, collided } = await casesRepository.insertManyOnce(
      pending.map(({ row, id }, i) => ({
        _id: id,
        ...draftOf(row.member, common, row, codeOf(common.program, year, first + i), actor, now),
      })),
    );
    made.push(...inserted);
    const again = new Set(collided.map((c) => String(c._id)));
    pending = pending.filter(({ id }) => again.has(String(id)));
  }
  const records = made.sort((a, b) => (order.get(String(a._id)) ?? 0) - (order.get(String(b._id)) ?? 0));
  await recordAudits(records.map((record) => creationAudit(record, actor)));
  return records;
}

/** Editing is for the union while the case is a draft or was returned; the member and campaign change only in a draft. */
export async function updateCase(
  principal: Principal,
  actor: Actor,
  id: string,
  changes: CaseChanges,
): Promise<CaseRecord> {
  const record = await getCaseInScope(principal, id);
  if (record.revision !== changes.revision) throw staleRevision();
  if (!EDITABLE_STATUSES.includes(record.status)) {
    throw new ConflictError('INVALID_TRANSITION', 'Chỉ sửa được hồ sơ nháp hoặc hồ sơ bị trả lại.');
  }
  if (record.status !== 'draft' && (changes.memberId !== undefined || changes.campaignId !== undefined)) {
    throw new ValidationError([
      {
        path: changes.memberId !== undefined ? 'memberId' : 'campaignId',
        message: 'Chỉ đổi được đoàn viên hoặc đợt khi hồ sơ còn là bản nháp',
      },
    ]);
  }
  const program = await findProgram(record.programCode);
  const set: Record<string, unknown> = {};
  if (changes.memberId !== undefined && changes.memberId !== String(record.memberId)) {
    const member = await getMemberInScope(principal, changes.memberId);
    Object.assign(set, {
      memberId: member._id,
      memberName: member.fullName,
      memberSearchName: searchKey(member.fullName),
      memberCitizenId: member.citizenId,
      orgId: member.orgId,
      orgPath: member.orgPath,
    });
  }
  const orgPath = ((set.orgPath as Types.ObjectId[] | undefined) ?? record.orgPath).map(String);
  if (changes.campaignId !== undefined || set.orgPath) {
    const campaign = await campaignFor(
      principal,
      program,
      changes.campaignId !== undefined ? changes.campaignId : record.campaignId && String(record.campaignId),
      provinceIdOf(orgPath),
    );
    set.campaignId = campaign?._id ?? null;
  }
  if (changes.subtype !== undefined) set.subtype = subtypeFor(program.rules, changes.subtype);
  if (changes.requestedAmount !== undefined) set.requestedAmount = changes.requestedAmount;
  if (changes.situation !== undefined) set.situation = changes.situation;
  if (changes.details !== undefined) set.details = changes.details;
  const merged = { ...record, ...set } as CaseRecord;
  await checkAmountWithinCap(merged);

  const fields = Object.keys(changes).filter((key) => key !== 'revision');
  const run = await beginAuditedWrite(record._id, 'update', actor, {
    action: 'case.update',
    entity: 'case',
    entityId: id,
    orgPath: record.orgPath,
    details: { fields },
  });
  const ok = await casesRepository.guardedUpdate(
    id,
    { revision: changes.revision, status: record.status },
    {
      $set: set,
      $push: {
        history: {
          action: 'update',
          from: record.status,
          to: record.status,
          by: { id: actor.userId, name: actor.name },
          at: new Date(),
          note: `Sửa: ${fields.join(', ')}`,
          run: run._id,
        },
      },
    },
    unfenced(run),
  );
  if (!ok) {
    await dropAuditedWrite(run);
    throw staleRevision();
  }
  await endAuditedWrite(run, actor);
  return (await casesRepository.findById(id))!;
}

export function staleRevision(): ConflictError {
  return new ConflictError(
    'STALE_REVISION',
    'Hồ sơ vừa được người khác thay đổi. Vui lòng tải lại để xem phiên bản mới nhất.',
  );
}

/** The case page: full snapshot (audited, it carries CCCD and account number) and the actions the caller may take now. */
export async function readCase(principal: Principal, actor: Actor, id: string): Promise<Record<string, unknown>> {
  return showCase(principal, actor, await getCaseInScope(principal, id));
}

/**
 * A case just read or written, as `readCase` answers it: the province's rules and the union's verifier (both as
 * read at most seconds ago, for the actions offered; a step reads them as they are now) are read side by side.
 */
export async function showCase(
  principal: Principal,
  actor: Actor,
  record: CaseRecord,
): Promise<Record<string, unknown>> {
  const [rules, verifierOrgId] = await Promise.all([
    findProgram(record.programCode).then((program) => effectiveRules(program, provinceIdOf(record.orgPath))),
    shownVerifierOf(String(record.orgId)),
  ]);
  return presentCase(principal, actor, { record, rules, verifierOrgId });
}

/**
 * A case as its reader sees it, with the actions they may take now; reading its personal data is audited. A step
 * answers with the case it left and what it read for it (transitions.service.ts `runAction`), no second read.
 */
export async function presentCase(
  principal: Principal,
  actor: Actor,
  { record, rules, verifierOrgId }: { record: CaseRecord; rules: ProgramRules; verifierOrgId: string | null },
): Promise<Record<string, unknown>> {
  const id = String(record._id);
  if (record.memberSnapshot) {
    await recordAudit({
      action: 'case.read_personal_data',
      entity: 'case',
      entityId: id,
      actor,
      orgPath: record.orgPath,
    });
  }
  return { ...casesRepository.toJSON(record), allowedActions: allowedActions(principal, record, rules, verifierOrgId) };
}

export interface CaseListQuery extends ListQuery {
  status?: string[];
  programCode?: string;
  orgId?: string;
  campaignId?: string;
  batchId?: string;
  verifierOrgId?: string;
  from?: string;
  to?: string;
  q?: string;
}

const CASE_CODE = /^[A-Z]{2,5}-\d{4}-\d{1,9}$/i;

/** `q`: a case code, a full 12-digit CCCD, or a member name without diacritics. Dates are Vietnamese days, inclusive. */
export async function listCases(principal: Principal, query: CaseListQuery) {
  const q = query.q?.trim();
  const byCode = q && CASE_CODE.test(q) ? q.toUpperCase() : undefined;
  const byCitizenId = q && /^\d{12}$/.test(q) ? q : undefined;
  const page = await casesRepository.list(
    {
      subtreeOf: principal.orgId,
      orgId: query.orgId,
      orgIds: query.verifierOrgId ? await grassrootsVerifiedBy(query.verifierOrgId) : undefined,
      statuses: query.status,
      programCode: query.programCode,
      campaignId: query.campaignId,
      batchId: query.batchId,
      createdFrom: query.from ? vnDayStart(query.from) : undefined,
      createdBefore: query.to ? new Date(vnDayStart(query.to).getTime() + 86_400_000) : undefined,
      code: byCode,
      citizenId: byCitizenId,
      memberSearchName: q && !byCode && !byCitizenId ? new RegExp(escapeRegex(searchKey(q))) : undefined,
    },
    query,
  );
  return page;
}
