import mongoose, { Types } from 'mongoose';
import { ALLOWED_PARENTS } from '../core/shared/org-levels.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../core/errors.js';
import type { Actor, Principal } from '../core/scope.js';
import { getOrgInScope, Org, orgsRepository, type OrgRecord } from '../orgs/index.js';
import { runOperation, takeClaims, type ExecutorOptions } from './executor.js';
import { historyEntry, planDissolveRecord, planMove, planMoves, refOf, type Common, type PlannedStep } from './plan.js';
import { OrgOperation, type OperationDoc, type OperationKind } from './reorganisation.model.js';
import { PATH_COLLECTIONS } from './subtree-move.js';

export interface MoveInput {
  parentId: string;
  effectiveDate: string;
  reason: string;
}
export interface DissolveInput {
  effectiveDate: string;
  reason: string;
  successorId?: string;
  endMemberships?: boolean;
}
export interface MergeInput {
  sourceIds: string[];
  effectiveDate: string;
  reason: string;
}

/** SPEC §2: where each level may sit; provinces and the root are merged, never moved. */
const PARENT_LEVELS: Partial<Record<string, readonly string[]>> = {
  grassroots: ALLOWED_PARENTS.grassroots,
  commune: ALLOWED_PARENTS.commune,
  upper: ALLOWED_PARENTS.upper,
};

const invalid = (path: string, message: string) => new ValidationError([{ path, message }]);
const provinceOf = (org: Pick<OrgRecord, 'orgPath'>) => String(org.orgPath[1] ?? org.orgPath[0]);
const isDissolved = (org: OrgRecord) => (org as { status?: string }).status === 'dissolved' || org.active === false;

async function activeOrgInScope(principal: Principal, id: string, path: string): Promise<OrgRecord> {
  const org = await getOrgInScope(principal, id);
  if (isDissolved(org)) throw invalid(path, `Tổ chức "${org.name}" đã giải thể hoặc ngừng hoạt động`);
  return org;
}

async function parentOf(org: OrgRecord): Promise<OrgRecord> {
  const parent = org.parentId ? await orgsRepository.findById(String(org.parentId)) : null;
  if (!parent) throw invalid('id', 'Tổ chức gốc không thể di chuyển hay giải thể');
  return parent;
}

function checkPlacement(child: OrgRecord, parent: OrgRecord, path: string): void {
  if (!(PARENT_LEVELS[child.level] ?? []).includes(parent.level)) {
    throw invalid(path, `Tổ chức cấp "${child.level}" không thể trực thuộc tổ chức cấp "${parent.level}"`);
  }
  if (parent.orgPath.map(String).includes(String(child._id)))
    throw invalid(path, 'Không thể chuyển tổ chức vào chính cây con của nó');
}

/**
 * Progress weights and size, counted when planned: each collection's documents under the roots (the moved
 * organisation, or the merged provinces) are shared among that collection's `paths` steps; `size` is the
 * members and cases among them (what JOB_SYNC_LIMIT is compared with).
 */
async function weigh(steps: PlannedStep[], roots: readonly string[]): Promise<{ steps: PlannedStep[]; size: number }> {
  const inRoots = { orgPath: { $in: roots.map((r) => new Types.ObjectId(r)) } };
  const counted = new Map<string, number>();
  await Promise.all(
    PATH_COLLECTIONS.map(async (name) => {
      counted.set(name, await mongoose.connection.db!.collection(name).countDocuments(inRoots));
    }),
  );
  const open = (name: string) =>
    steps.filter((s) => s.kind === 'paths' && s.items === undefined && s.collectionName === name).length;
  const seen = new Map<string, number>();
  const weighed = steps.map((step) => {
    if (step.kind !== 'paths' || step.items !== undefined) return step;
    const name = step.collectionName!;
    const count = counted.get(name) ?? 0;
    const n = open(name);
    const index = seen.get(name) ?? 0;
    seen.set(name, index + 1);
    // An even share, the remainder on the last step of the collection, so that the shares add up to the count.
    const share = Math.floor(count / n);
    return { ...step, items: index === n - 1 ? count - share * (n - 1) : share };
  });
  return { steps: weighed, size: (counted.get('members') ?? 0) + (counted.get('cases') ?? 0) };
}

/**
 * Stores the planned operation and takes its claims (409 when another one holds them). With `run: 'wait'` it
 * also runs it here (the demo seed); the API hands it to a job instead (`reorganisation-jobs.ts`).
 */
async function start(
  kind: OperationKind,
  org: OrgRecord,
  params: Record<string, unknown>,
  provinces: string[],
  actor: Actor,
  plan: (common: Common) => PlannedStep[],
  options: StartOptions,
  roots: readonly string[] = [String(org._id)],
): Promise<OperationDoc> {
  const id = orgsRepository.newId();
  const common: Common = {
    operationId: String(id),
    effectiveDate: String(params.effectiveDate),
    reason: String(params.reason),
    by: { userId: actor.userId, name: actor.name },
    at: new Date(),
  };
  const { steps, size } = await weigh(plan(common), roots);
  await OrgOperation.create({
    _id: id,
    kind,
    orgId: org._id,
    params,
    status: 'running',
    steps,
    claims: provinces,
    size,
    createdBy: common.by,
    createdAt: common.at,
  });
  try {
    await takeClaims(String(id), provinces);
  } catch (error) {
    await OrgOperation.deleteOne({ _id: id });
    throw error;
  }
  if (options.run === 'wait') await runOperation(String(id), options);
  return (await OrgOperation.findById(id).lean<OperationDoc>())!;
}

export interface StartOptions extends ExecutorOptions {
  /** `wait`: run it here and answer when done; `later`: only store and claim it, the caller hands it to a job. */
  run: 'wait' | 'later';
}

export async function startMove(
  principal: Principal,
  actor: Actor,
  id: string,
  input: MoveInput,
  options: StartOptions,
): Promise<OperationDoc> {
  const org = await activeOrgInScope(principal, id, 'id');
  if (!PARENT_LEVELS[org.level])
    throw invalid('id', 'Chỉ di chuyển được công đoàn cơ sở, công đoàn xã/phường hoặc công đoàn cấp trên');
  const [oldParent, newParent] = await Promise.all([
    parentOf(org),
    activeOrgInScope(principal, input.parentId, 'parentId'),
  ]);
  // The old parent must be in the caller's subtree too: an admin cannot take a union away from above them.
  await getOrgInScope(principal, String(oldParent._id));
  if (String(oldParent._id) === String(newParent._id)) throw invalid('parentId', 'Tổ chức đã trực thuộc tổ chức này');
  checkPlacement(org, newParent, 'parentId');
  return start(
    'move',
    org,
    { ...input },
    [provinceOf(oldParent), provinceOf(newParent)],
    actor,
    (common) => planMove(common, org, oldParent, newParent),
    options,
  );
}

async function childrenOf(org: OrgRecord): Promise<OrgRecord[]> {
  return Org.find({ parentId: org._id }).lean<OrgRecord[]>();
}

export async function startDissolve(
  principal: Principal,
  actor: Actor,
  id: string,
  input: DissolveInput,
  options: StartOptions,
): Promise<OperationDoc> {
  const org = await activeOrgInScope(principal, id, 'id');
  if (!PARENT_LEVELS[org.level]) throw invalid('id', 'Tỉnh chỉ được sáp nhập (merge), không giải thể');
  if (String(org._id) === principal.orgId) throw invalid('id', 'Không thể giải thể tổ chức của chính mình');
  await parentOf(org);
  const children = await childrenOf(org);
  if (input.endMemberships) {
    if (org.level !== 'grassroots' || children.length)
      throw invalid('endMemberships', 'Chỉ công đoàn cơ sở mới giải thể kèm chấm dứt tư cách đoàn viên');
    const orgPath = org.orgPath.map(String);
    return start(
      'dissolve',
      org,
      { ...input },
      [provinceOf(org)],
      actor,
      (common) => [
        ...planDissolveRecord(common, org, null, 'dissolved'),
        {
          kind: 'endMemberships',
          rootId: String(org._id),
          data: { effectiveDate: input.effectiveDate, reason: input.reason },
        },
        {
          kind: 'withdrawOpenDrafts',
          rootId: String(org._id),
          data: { reason: `Công đoàn giải thể: ${input.reason}`, orgPath },
        },
      ],
      options,
    );
  }
  const successor = await activeOrgInScope(principal, input.successorId!, 'successorId');
  if (successor.orgPath.map(String).includes(String(org._id)))
    throw invalid('successorId', 'Tổ chức kế thừa không được nằm trong tổ chức bị giải thể');
  for (const child of children) checkPlacement(child, successor, 'successorId');
  if (org.level === 'grassroots' && successor.level !== 'grassroots') {
    throw invalid('successorId', 'Đoàn viên và hồ sơ của công đoàn cơ sở chỉ chuyển sang một công đoàn cơ sở khác');
  }
  return start(
    'dissolve',
    org,
    { ...input },
    [provinceOf(org), provinceOf(successor)],
    actor,
    (common) => [
      ...planDissolveRecord(common, org, successor, 'dissolved'),
      ...planMoves(common, children, org, successor),
      ...(org.level === 'grassroots'
        ? [
            {
              kind: 'handOverMembers' as const,
              rootId: String(org._id),
              data: { successorId: String(successor._id), successorPath: successor.orgPath.map(String) },
            },
            { kind: 'rebuildTotals' as const, rootId: String(org._id) },
            { kind: 'rebuildTotals' as const, rootId: String(successor._id) },
          ]
        : []),
    ],
    options,
  );
}

export async function startMerge(
  principal: Principal,
  actor: Actor,
  id: string,
  input: MergeInput,
  options: StartOptions,
): Promise<OperationDoc> {
  if (principal.orgPath.length !== 1) throw new ForbiddenError('Chỉ quản trị viên Tổng Liên đoàn được sáp nhập tỉnh.');
  const target = await activeOrgInScope(principal, id, 'id');
  if (target.level !== 'province') throw invalid('id', 'Chỉ sáp nhập vào một tỉnh');
  const sources = await Promise.all(input.sourceIds.map((s, i) => activeOrgInScope(principal, s, `sourceIds.${i}`)));
  sources.forEach((s, i) => {
    if (s.level !== 'province') throw invalid(`sourceIds.${i}`, `"${s.name}" không phải cấp tỉnh`);
    if (String(s._id) === id) throw invalid(`sourceIds.${i}`, 'Không thể sáp nhập một tỉnh vào chính nó');
  });
  const children = await Promise.all(sources.map(childrenOf));
  const targetPath = target.orgPath.map(String);
  return start(
    'merge',
    target,
    { ...input },
    [String(target._id), ...sources.map((s) => String(s._id))],
    actor,
    (common) =>
      sources.flatMap((source, i) => [
        ...planDissolveRecord(common, source, target, 'merged'),
        {
          kind: 'org' as const,
          rootId: String(target._id),
          data: {
            set: {},
            history: {
              ...historyEntry(common, 'merged', refOf(source), refOf(target)),
              operationId: `${common.operationId}:${i}`,
            },
          },
        },
        ...planMoves(common, children[i]!, source, target),
        {
          kind: 'passFunds' as const,
          rootId: String(source._id),
          data: { targetId: String(target._id), targetPath, sourceCode: source.code },
        },
      ]),
    options,
    sources.map((s) => String(s._id)),
  );
}

export async function getOperation(principal: Principal, id: string): Promise<OperationDoc> {
  const op = await OrgOperation.findById(id).lean<OperationDoc>();
  if (!op) throw new NotFoundError('thao tác tổ chức lại');
  // Visible to whoever may see the organisation it is about (its record, even dissolved, keeps its chain).
  await getOrgInScope(principal, String(op.orgId));
  return op;
}
