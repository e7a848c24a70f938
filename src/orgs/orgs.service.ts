import { ConflictError, NotFoundError, ValidationError } from '../core/errors.js';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
import type { ListQuery } from '../core/http/common-schemas.js';
import { ORG_LEVELS, type OrgLevel } from '../core/roles.js';
import { assertInScope, type Principal } from '../core/scope.js';
import { escapeRegex, searchKey } from '../core/search-text.js';
import { orgsRepository, type OrgRecord } from './orgs.repository.js';

export interface OrgInput {
  code: string;
  name: string;
  shortName: string;
  level: OrgLevel;
  parentId: string;
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

/** Each level sits directly below the one before it: national → province → upper → grassroots. */
function expectedParentLevel(level: OrgLevel): OrgLevel | null {
  const index = ORG_LEVELS.indexOf(level);
  return index > 0 ? ORG_LEVELS[index - 1]! : null;
}

export async function createOrg(principal: Principal, input: OrgInput): Promise<OrgRecord> {
  const parent = await getOrgInScope(principal, input.parentId);
  if (parent.active === false) throw new ValidationError([{ path: 'parentId', message: 'Tổ chức cấp trên đã giải thể hoặc ngừng hoạt động' }]);
  if (expectedParentLevel(input.level) !== parent.level) {
    throw new ValidationError([
      { path: 'level', message: `Tổ chức cấp "${input.level}" không thể trực thuộc tổ chức cấp "${parent.level}"` },
    ]);
  }
  const id = orgsRepository.newId();
  try {
    return await orgsRepository.insert({
      _id: id,
      code: input.code,
      name: input.name,
      shortName: input.shortName,
      level: input.level,
      parentId: parent._id,
      orgPath: [...parent.orgPath, id],
      place: input.place ?? parent.place ?? '',
      address: input.address ?? '',
      parentName: input.parentName ?? parent.name,
      active: true,
      searchKey: searchKey(`${input.code} ${input.name} ${input.shortName}`),
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

export type OrgChanges = Partial<Pick<OrgRecord, 'name' | 'shortName' | 'place' | 'address' | 'parentName' | 'active'>>;

export async function updateOrg(principal: Principal, id: string, changes: OrgChanges): Promise<OrgRecord> {
  const org = await getOrgInScope(principal, id);
  if (changes.active === false && String(org._id) === principal.orgId) {
    throw new ValidationError([{ path: 'active', message: 'Không thể ngừng hoạt động tổ chức của chính mình' }]);
  }
  const merged = { ...org, ...changes };
  const updated = await orgsRepository.update(id, {
    ...changes,
    searchKey: searchKey(`${merged.code} ${merged.name} ${merged.shortName}`),
  });
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
