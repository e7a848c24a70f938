import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../core/errors.js';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
import { recordAudit } from '../audit/index.js';
import { assertInScope, type Actor, type Principal } from '../core/scope.js';
import { ShortCache } from '../core/short-cache.js';
import { getOrgInScope } from '../orgs/index.js';
import { BUILTIN_PROGRAMS, type ProgramData, type ProgramRules } from './builtin-programs.js';
import { overrideId, Program, ProgramOverride } from './programs.model.js';

const WHAT = 'chương trình';

/**
 * Programs and provinces' rules as read at most five seconds ago: every case read or step needs them, they change
 * a few times a year. A change made through this process (the functions below) is seen by it at once, by other
 * instances within five seconds (docs/benchmarks.md, "Request path").
 */
const programs = new ShortCache<ProgramData | null>(5_000);
const overrides = new ShortCache<{ rules: unknown } | null>(5_000);

/** Forgets the cached programs and rules (after writing them other than through this module). */
export function forgetPrograms(): void {
  programs.clear();
  overrides.clear();
}

/** Runs a write of programs or rules, forgetting the cached ones before and after it. */
async function changing<T>(write: () => Promise<T>): Promise<T> {
  forgetPrograms();
  try {
    return await write();
  } finally {
    forgetPrograms();
  }
}

export function programJSON(program: ProgramData): Record<string, unknown> {
  return Program.hydrate(program).toJSON();
}

/** Inserts the built-in programs that are missing; never overwrites what an administrator changed. */
export async function ensureBuiltinPrograms(): Promise<void> {
  for (const program of BUILTIN_PROGRAMS) {
    if (await Program.exists({ code: program.code })) continue;
    try {
      await changing(() => Program.create(program));
    } catch (error) {
      // Another instance starting at the same moment inserted it first.
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
}

export async function listPrograms(): Promise<ProgramData[]> {
  return Program.find({}).sort({ code: 1 }).lean<ProgramData[]>();
}

export async function findProgram(code: string): Promise<ProgramData> {
  const program = await programs.get(code, () => Program.findOne({ code }).lean<ProgramData>());
  if (!program) throw new NotFoundError(WHAT);
  return program;
}

/** A paused program takes no new case (SPEC §4): 422 NOT_ELIGIBLE, for one case, a list, or a case's submission. */
export function assertProgramOpen(program: Pick<ProgramData, 'active' | 'name'>): void {
  if (!program.active)
    throw new AppError(422, 'NOT_ELIGIBLE', `Chương trình "${program.name}" đang tạm dừng nhận hồ sơ.`);
}

/** The program a request body or query names as `programCode`: 400 on that field if there is none. */
export async function programNamedIn(code: string): Promise<ProgramData> {
  return findProgram(code).catch(() => {
    throw new ValidationError([{ path: 'programCode', message: 'Chương trình không tồn tại' }]);
  });
}

/** The program a new case or an imported list names: 400 on `programCode` if there is none, 422 if it is paused. */
export async function openProgram(code: string): Promise<ProgramData> {
  const program = await programNamedIn(code);
  assertProgramOpen(program);
  return program;
}

/** Programs are national data: only administrators of the root organisation add or change them. */
function assertNationalAdmin(principal: Principal): void {
  if (!principal.roles.includes('admin') || principal.orgPath.length !== 1) {
    throw new ForbiddenError('Chỉ quản trị viên cấp Tổng Liên đoàn được thêm hoặc sửa chương trình.');
  }
}

function checkRuleConsistency(rules: ProgramRules): void {
  const subtypes = Object.keys(rules.maxAmount);
  if (subtypes.length === 0)
    throw new ValidationError([{ path: 'rules.maxAmount', message: 'Cần ít nhất một loại hỗ trợ' }]);
}

export async function createProgram(principal: Principal, actor: Actor, input: ProgramData): Promise<ProgramData> {
  assertNationalAdmin(principal);
  checkRuleConsistency(input.rules);
  try {
    const created = (await changing(() => Program.create(input))).toObject() as ProgramData;
    await recordAudit({
      action: 'program.create',
      entity: 'program',
      entityId: input.code,
      actor,
      details: { rules: input.rules },
    });
    return created;
  } catch (error) {
    if (isDuplicateKeyError(error)) {
      throw new ConflictError('CONFLICT', 'Mã chương trình hoặc tiền tố mã hồ sơ đã tồn tại.', {
        errors: [{ path: 'code', message: 'Mã hoặc tiền tố đã tồn tại' }],
      });
    }
    throw error;
  }
}

export async function updateProgram(
  principal: Principal,
  actor: Actor,
  code: string,
  changes: Partial<Pick<ProgramData, 'name' | 'active' | 'rules'>>,
): Promise<ProgramData> {
  assertNationalAdmin(principal);
  if (changes.rules) checkRuleConsistency(changes.rules);
  const updated = await changing(() =>
    Program.findOneAndUpdate({ code }, { $set: changes }, { returnDocument: 'after' }).lean<ProgramData>(),
  );
  if (!updated) throw new NotFoundError(WHAT);
  await recordAudit({ action: 'program.update', entity: 'program', entityId: code, actor, details: { changes } });
  return updated;
}

/** The province (level 1 of the tree) that an organisation belongs to; null for the national root. */
export function provinceIdOf(orgPath: readonly unknown[]): string | null {
  return orgPath.length >= 2 ? String(orgPath[1]) : null;
}

/**
 * The rules in force for a province: the national defaults with the province's override laid over them.
 * `maxAmount` merges per subtype and `requiredDocuments` per stage; every other rule the province set replaces
 * the default.
 */
export async function effectiveRules(program: ProgramData, provinceId: string | null): Promise<ProgramRules> {
  if (!provinceId) return program.rules;
  const id = overrideId(program.code, provinceId);
  const override = await overrides.get(id, () => ProgramOverride.findById(id, { rules: 1 }).lean());
  if (!override) return program.rules;
  const changes = override.rules as Partial<ProgramRules>;
  return {
    ...program.rules,
    ...changes,
    maxAmount: { ...program.rules.maxAmount, ...(changes.maxAmount ?? {}) },
    requiredDocuments: { ...program.rules.requiredDocuments, ...(changes.requiredDocuments ?? {}) },
  };
}

/** The rules in force for the province of `orgId` (default: the caller's own), which may lie above the caller. */
export async function rulesForOrg(principal: Principal, code: string, orgId: string | undefined) {
  const program = await findProgram(code);
  const ownIndex = principal.orgPath.indexOf(orgId ?? principal.orgId);
  const orgPath =
    ownIndex >= 0 ? principal.orgPath.slice(0, ownIndex + 1) : (await getOrgInScope(principal, orgId!)).orgPath;
  const provinceId = provinceIdOf(orgPath);
  return { programCode: program.code, provinceId, rules: await effectiveRules(program, provinceId) };
}

/** An approver sets their province's rules for a program (SPEC §2, §4). Subtypes must be the program's own. */
export async function setProvinceOverride(
  principal: Principal,
  actor: Actor,
  code: string,
  orgId: string | undefined,
  rules: Partial<ProgramRules>,
) {
  const program = await findProgram(code);
  const province = await getOrgInScope(principal, orgId ?? principal.orgId);
  if (province.level !== 'province') {
    throw new ValidationError([
      { path: 'orgId', message: 'Quy định riêng chỉ đặt cho cấp tỉnh (LĐLĐ tỉnh, thành phố)' },
    ]);
  }
  assertInScope(principal, province.orgPath.map(String), 'tổ chức');
  const unknown = Object.keys(rules.maxAmount ?? {}).filter((subtype) => !(subtype in program.rules.maxAmount));
  if (unknown.length) {
    throw new ValidationError(
      unknown.map((s) => ({ path: `rules.maxAmount.${s}`, message: `Chương trình không có loại "${s}"` })),
    );
  }
  const id = overrideId(code, String(province._id));
  await changing(() =>
    ProgramOverride.replaceOne(
      { _id: id },
      {
        _id: id,
        programCode: code,
        orgId: province._id,
        rules,
        updatedBy: { id: principal.userId, name: principal.fullName },
      },
      { upsert: true },
    ),
  );
  await recordAudit({
    action: 'program.override_set',
    entity: 'program',
    entityId: code,
    actor,
    orgPath: province.orgPath,
    details: { rules },
  });
  return {
    programCode: code,
    provinceId: String(province._id),
    override: rules,
    rules: await effectiveRules(program, String(province._id)),
  };
}

export async function removeProvinceOverride(
  principal: Principal,
  actor: Actor,
  code: string,
  orgId: string | undefined,
): Promise<void> {
  await findProgram(code);
  const province = await getOrgInScope(principal, orgId ?? principal.orgId);
  await changing(() => ProgramOverride.deleteOne({ _id: overrideId(code, String(province._id)) }));
  await recordAudit({
    action: 'program.override_remove',
    entity: 'program',
    entityId: code,
    actor,
    orgPath: province.orgPath,
  });
}
