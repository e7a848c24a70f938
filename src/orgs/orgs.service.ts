import { ConflictError, NotFoundError, ValidationError } from '../core/errors.js';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
import type { ListQuery } from '../core/http/common-schemas.js';
import {
  ALLOWED_PARENTS,
  DEFAULT_ORG_KIND,
  DELEGATION_LEVEL,
  KIND_LEVEL,
  LEVEL_NAMES,
  type OrgDelegation,
  type OrgKind,
  type OrgLevel,
} from '../core/shared/org-levels.js';
import { assertInScope, type Principal } from '../core/scope.js';
import { escapeRegex, searchKey } from '../core/search-text.js';
import { vnDay } from '../core/shared/dates.js';
import type { OrgHistoryEntry } from './org-history.js';
import { orgsRepository, type OrgRecord } from './orgs.repository.js';

/** A `created` or `renamed` history entry (SPEC §13), effective the day it is written, by the caller. */
function historyNow(
  principal: Principal,
  event: 'created' | 'renamed',
  id: string,
  from: string | null,
  to: string,
): OrgHistoryEntry {
  return {
    event,
    from: from === null ? null : { id, name: from },
    to: { id, name: to },
    effectiveDate: vnDay(),
    by: { userId: principal.userId, name: principal.fullName },
    at: new Date(),
    reason: '',
    operationId: null,
  };
}

export interface OrgInput {
  code: string;
  name: string;
  shortName: string;
  level: OrgLevel;
  parentId: string;
  kind?: OrgKind;
  delegations?: OrgDelegation[];
  place?: string;
  address?: string;
  parentName?: string;
}

const WHAT = 'tổ chức';

/** An organisation in the caller's subtree, or 404. */
export async function getOrgInScope(principal: Principal, id: string): Promise<OrgRecord> {
  const org = await orgsRepository.findById(id);
  if (!org) throw new NotFoundError(WHAT);
  assertInScope(principal, org.orgPath.map(String), WHAT);
  return org;
}

const levelName = (level: string) => `"${LEVEL_NAMES[level as OrgLevel] ?? level}"`;

/**
 * `kind` belongs to the province level and `delegations` to the commune level (SPEC §2): anywhere else they
 * would mean nothing, so they are refused rather than stored.
 */
function checkLevelFields(level: string, fields: { kind?: unknown; delegations?: unknown }): void {
  const errors = [];
  if (fields.kind !== undefined && level !== KIND_LEVEL) {
    errors.push({
      path: 'kind',
      message: `Chỉ tổ chức ${levelName(KIND_LEVEL)} mới có loại (kind), không dùng cho ${levelName(level)}`,
    });
  }
  if (fields.delegations !== undefined && level !== DELEGATION_LEVEL && (fields.delegations as unknown[]).length > 0) {
    errors.push({
      path: 'delegations',
      message: `Chỉ ${levelName(DELEGATION_LEVEL)} mới được ủy quyền thẩm định, không dùng cho ${levelName(level)}`,
    });
  }
  if (errors.length) throw new ValidationError(errors);
}

export async function createOrg(principal: Principal, input: OrgInput): Promise<OrgRecord> {
  const parent = await getOrgInScope(principal, input.parentId);
  if (parent.active === false)
    throw new ValidationError([{ path: 'parentId', message: 'Tổ chức cấp trên đã giải thể hoặc ngừng hoạt động' }]);
  if (!ALLOWED_PARENTS[input.level].includes(parent.level as OrgLevel)) {
    throw new ValidationError([
      { path: 'level', message: `${levelName(input.level)} không thể trực thuộc ${levelName(parent.level)}` },
    ]);
  }
  checkLevelFields(input.level, input);
  const id = orgsRepository.newId();
  try {
    return await orgsRepository.insert({
      _id: id,
      code: input.code,
      name: input.name,
      shortName: input.shortName,
      level: input.level,
      parentId: parent._id,
      kind: input.level === KIND_LEVEL ? (input.kind ?? DEFAULT_ORG_KIND) : null,
      delegations: input.delegations ?? [],
      orgPath: [...parent.orgPath, id],
      place: input.place ?? parent.place ?? '',
      address: input.address ?? '',
      parentName: input.parentName ?? parent.name,
      active: true,
      searchKey: searchKey(`${input.code} ${input.name} ${input.shortName}`),
      history: [historyNow(principal, 'created', String(id), null, input.name)] as unknown as OrgRecord['history'],
    });
  } catch (error) {
    if (isDuplicateKeyError(error)) {
      throw new ConflictError('CONFLICT', `Mã tổ chức "${input.code}" đã tồn tại.`, {
        errors: [{ path: 'code', message: 'Mã tổ chức đã tồn tại' }],
      });
    }
    throw error;
  }
}

export type OrgChanges = Partial<
  Pick<OrgRecord, 'name' | 'shortName' | 'place' | 'address' | 'parentName' | 'active'>
> & {
  kind?: OrgKind;
  delegations?: OrgDelegation[];
};

/**
 * Taking `verify` from a commune union (or giving it) changes at once who verifies its grassroots unions'
 * submitted cases: the direct upper union is worked out from the tree when asked, never stored.
 */
export async function updateOrg(principal: Principal, id: string, changes: OrgChanges): Promise<OrgRecord> {
  const org = await getOrgInScope(principal, id);
  checkLevelFields(org.level, changes);
  if (changes.active === false && String(org._id) === principal.orgId) {
    throw new ValidationError([{ path: 'active', message: 'Không thể ngừng hoạt động tổ chức của chính mình' }]);
  }
  const merged = { ...org, ...changes };
  const renamed = changes.name !== undefined && changes.name !== org.name;
  const updated = await orgsRepository.update(
    id,
    {
      ...changes,
      searchKey: searchKey(`${merged.code} ${merged.name} ${merged.shortName}`),
    },
    renamed ? historyNow(principal, 'renamed', String(org._id), org.name, changes.name!) : undefined,
  );
  if (!updated) throw new NotFoundError(WHAT);
  return updated;
}

export interface OrgListQuery extends ListQuery {
  level?: OrgLevel;
  parentId?: string;
  q?: string;
}

export async function listOrgs(principal: Principal, query: OrgListQuery) {
  return orgsRepository.list(
    {
      subtreeOf: principal.orgId,
      level: query.level,
      parentId: query.parentId,
      searchKey: query.q ? new RegExp(escapeRegex(searchKey(query.q))) : undefined,
    },
    query,
  );
}
