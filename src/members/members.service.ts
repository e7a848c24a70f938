import { Types } from 'mongoose';
import { recordAudit, recordAudits } from '../audit/index.js';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../core/errors.js';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
import type { ListQuery } from '../core/http/common-schemas.js';
import { assertInScope, type Actor, type Principal } from '../core/scope.js';
import { escapeRegex, searchKey } from '../core/search-text.js';
import { vnDay } from '../core/shared/dates.js';
import { getOrgInScope, type OrgRecord } from '../orgs/index.js';
import { noteCitizenIdConflict } from './citizen-id-probes.js';
import { membersRepository, type MemberRecord } from './members.repository.js';

const WHAT = 'đoàn viên';

export interface MemberInput {
  fullName: string;
  dateOfBirth: string;
  gender: 'male' | 'female';
  citizenId: string;
  unionCardNo?: string;
  joinedUnionAt: string;
  orgId?: string;
  phone?: string;
  address?: { province?: string; commune?: string; detail?: string };
  bankAccount?: { bankBin: string; accountNo: string; accountName: string } | null;
}

export type MemberChanges = Partial<MemberInput>;

async function grassrootsOrgInScope(principal: Principal, orgId: string): Promise<OrgRecord> {
  const org = await getOrgInScope(principal, orgId);
  if (org.level !== 'grassroots') {
    throw new ValidationError([{ path: 'orgId', message: 'Đoàn viên phải thuộc một công đoàn cơ sở' }]);
  }
  if (org.active === false)
    throw new ValidationError([{ path: 'orgId', message: 'Công đoàn cơ sở đã giải thể hoặc ngừng hoạt động' }]);
  return org;
}

function checkDates(member: { dateOfBirth: string; joinedUnionAt: string }): void {
  const today = vnDay();
  const errors = [];
  if (member.dateOfBirth > today) errors.push({ path: 'dateOfBirth', message: 'Ngày sinh không được ở tương lai' });
  if (member.joinedUnionAt > today)
    errors.push({ path: 'joinedUnionAt', message: 'Ngày vào công đoàn không được ở tương lai' });
  if (member.joinedUnionAt < member.dateOfBirth) {
    errors.push({ path: 'joinedUnionAt', message: 'Ngày vào công đoàn phải sau ngày sinh' });
  }
  if (errors.length) throw new ValidationError(errors);
}

function conflictOn(field: 'citizenId' | 'unionCardNo'): ConflictError {
  return new ConflictError(
    'CONFLICT',
    field === 'unionCardNo'
      ? 'Số thẻ đoàn viên đã có trong hệ thống.'
      : 'Số CCCD đã có trong hệ thống (mỗi người chỉ có một hồ sơ đoàn viên).',
    { errors: [{ path: field, message: 'Giá trị đã tồn tại' }] },
  );
}

function duplicateToConflict(error: unknown): never {
  if (isDuplicateKeyError(error)) {
    // MongoDB names the index in keyPattern; the embedded engine names it only in the message (index: unionCardNo_1).
    const { keyPattern, message } = error as { keyPattern?: unknown; message?: unknown };
    throw conflictOn(
      JSON.stringify([keyPattern ?? null, String(message ?? '')]).includes('unionCardNo') ? 'unionCardNo' : 'citizenId',
    );
  }
  throw error;
}

export async function getMemberInScope(principal: Principal, id: string): Promise<MemberRecord> {
  const member = await membersRepository.findById(id);
  if (!member) throw new NotFoundError(WHAT);
  assertInScope(principal, member.orgPath.map(String), WHAT);
  return member;
}

function memberDocOf(input: MemberInput, org: OrgRecord, actor: Actor) {
  return {
    fullName: input.fullName,
    dateOfBirth: input.dateOfBirth,
    gender: input.gender,
    citizenId: input.citizenId,
    ...(input.unionCardNo ? { unionCardNo: input.unionCardNo } : {}),
    joinedUnionAt: input.joinedUnionAt,
    searchName: searchKey(input.fullName),
    phone: input.phone ?? '',
    address: { province: '', commune: '', detail: '', ...input.address },
    bankAccount: input.bankAccount ?? null,
    orgId: org._id,
    orgPath: org.orgPath,
    createdBy: new Types.ObjectId(actor.userId),
  };
}

const auditCreated = (member: MemberRecord, actor: Actor) => ({
  action: 'member.create',
  entity: 'member',
  entityId: String(member._id),
  actor,
  orgPath: member.orgPath,
});

export async function createMember(principal: Principal, actor: Actor, input: MemberInput): Promise<MemberRecord> {
  const org = await grassrootsOrgInScope(principal, input.orgId ?? principal.orgId);
  checkDates(input);
  try {
    const member = await membersRepository.insert(memberDocOf(input, org, actor));
    await recordAudit(auditCreated(member, actor));
    return member;
  } catch (error) {
    await noteCitizenIdConflict(principal, actor, error, input.citizenId);
    return duplicateToConflict(error);
  }
}

/**
 * Many new members of one grassroots union at once (an imported list): the rules of `createMember` for each,
 * one insert and one audit write for all. Answers, in the inputs' order, each member or the error
 * `createMember` would have thrown for it (a CCCD or card number that exists, dates out of order).
 */
export async function createMembers(
  principal: Principal,
  actor: Actor,
  orgId: string,
  inputs: readonly MemberInput[],
): Promise<(MemberRecord | AppError)[]> {
  if (!inputs.length) return [];
  const org = await grassrootsOrgInScope(principal, orgId);
  const prepared = inputs.map((input) => {
    try {
      checkDates(input);
      return { _id: new Types.ObjectId(), ...memberDocOf(input, org, actor) };
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
  });
  const docs = prepared.filter((p): p is Exclude<typeof p, AppError> => !(p instanceof AppError));
  const inserted = new Map((await membersRepository.insertMany(docs)).map((m) => [String(m._id), m]));
  await recordAudits([...inserted.values()].map((member) => auditCreated(member, actor)));
  // Left out by a unique index: the CCCD (or the card number) was taken meanwhile, as `createMember` would answer.
  const missing = docs.filter((d) => !inserted.has(String(d._id)));
  const taken = new Set(
    missing.length
      ? (await membersRepository.findByCitizenIds(missing.map((d) => d.citizenId))).map((m) => m.citizenId)
      : [],
  );
  return prepared.map((p) => {
    if (p instanceof AppError) return p;
    return (
      inserted.get(String(p._id)) ?? conflictOn(p.unionCardNo && !taken.has(p.citizenId) ? 'unionCardNo' : 'citizenId')
    );
  });
}

/** The single read with full CCCD and account number; every such read is audited. */
export async function readMember(principal: Principal, actor: Actor, id: string): Promise<MemberRecord> {
  const member = await getMemberInScope(principal, id);
  await recordAudit({
    action: 'member.read_personal_data',
    entity: 'member',
    entityId: id,
    actor,
    orgPath: member.orgPath,
  });
  return member;
}

export async function updateMember(
  principal: Principal,
  actor: Actor,
  id: string,
  changes: MemberChanges,
): Promise<MemberRecord> {
  const member = await getMemberInScope(principal, id);
  const set: Record<string, unknown> = {};
  const unset: string[] = [];
  for (const [key, value] of Object.entries(changes)) {
    if (key === 'address') for (const [part, text] of Object.entries(value ?? {})) set[`address.${part}`] = text;
    else if (key === 'unionCardNo' && value === '') unset.push('unionCardNo');
    else if (key !== 'orgId') set[key] = value;
  }
  if (changes.fullName) set.searchName = searchKey(changes.fullName);
  if (changes.orgId && changes.orgId !== String(member.orgId)) {
    const org = await grassrootsOrgInScope(principal, changes.orgId);
    set.orgId = org._id;
    set.orgPath = org.orgPath;
  }
  checkDates({
    dateOfBirth: changes.dateOfBirth ?? member.dateOfBirth,
    joinedUnionAt: changes.joinedUnionAt ?? member.joinedUnionAt,
  });
  try {
    const updated = await membersRepository.update(id, set, unset);
    if (!updated) throw new NotFoundError(WHAT);
    await recordAudit({
      action: 'member.update',
      entity: 'member',
      entityId: id,
      actor,
      orgPath: updated.orgPath,
      details: { fields: Object.keys(changes) },
    });
    return updated;
  } catch (error) {
    await noteCitizenIdConflict(principal, actor, error, changes.citizenId);
    return duplicateToConflict(error);
  }
}

export interface MemberListQuery extends ListQuery {
  orgId?: string;
  q?: string;
  gender?: string;
}

/** `q` of 12 digits finds a CCCD exactly; any other text searches names without diacritics or case. */
export async function listMembers(principal: Principal, query: MemberListQuery) {
  const q = query.q?.trim();
  const byCitizenId = q && /^\d{12}$/.test(q) ? q : undefined;
  return membersRepository.list(
    {
      subtreeOf: principal.orgId,
      orgId: query.orgId,
      gender: query.gender,
      citizenId: byCitizenId,
      searchName: q && !byCitizenId ? new RegExp(escapeRegex(searchKey(q))) : undefined,
    },
    query,
  );
}
