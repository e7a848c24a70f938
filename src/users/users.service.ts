import { ConflictError, NotFoundError, ValidationError } from '../core/errors.js';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
import type { ListQuery } from '../core/http/common-schemas.js';
import { LEVEL_NAMES, type OrgLevel } from '../core/shared/org-levels.js';
import { ROLE_LEVELS, ROLE_NAMES, roleFitsOrg, type Role } from '../core/shared/roles.js';
import { assertInScope, type Principal } from '../core/scope.js';
import { escapeRegex, searchKey } from '../core/search-text.js';
import { getOrgInScope, type OrgRecord } from '../orgs/index.js';
import { hashPassword } from './password.js';
import { usersRepository, type UserRecord } from './users.repository.js';

const WHAT = 'người dùng';

export interface UserInput {
  username: string;
  password: string;
  fullName: string;
  orgId: string;
  roles: Role[];
  title?: string;
}

export interface UserChanges {
  fullName?: string;
  title?: string;
  roles?: Role[];
  active?: boolean;
  password?: string;
}

/** Why the organisation cannot hold the role, in the words of the SPEC §2 table. */
function misfitMessage(role: Role, org: OrgRecord): string {
  const levels = (ROLE_LEVELS[role] ?? []).map((level) => LEVEL_NAMES[level].toLowerCase()).join(', ');
  if (role === 'verifier' && org.level === 'commune') {
    return `Vai trò "${ROLE_NAMES[role]}" chỉ dùng được ở công đoàn xã, phường khi tỉnh đã ủy quyền thẩm định cho công đoàn đó`;
  }
  return `Vai trò "${ROLE_NAMES[role]}" chỉ dành cho tổ chức cấp: ${levels}; không dùng được ở ${LEVEL_NAMES[org.level as OrgLevel]?.toLowerCase() ?? org.level}`;
}

/** Each role works at the levels of SPEC §2 (a verifier at a commune union only with `verify`); admin at any. */
function checkRolesFitOrg(roles: readonly Role[], org: OrgRecord): void {
  const misfits = roles.filter((role) => !roleFitsOrg(role, org));
  if (misfits.length) {
    throw new ValidationError(misfits.map((role) => ({ path: 'roles', message: misfitMessage(role, org) })));
  }
}

export async function getUserInScope(principal: Principal, id: string): Promise<UserRecord> {
  const user = await usersRepository.findById(id);
  if (!user) throw new NotFoundError(WHAT);
  assertInScope(principal, user.orgPath.map(String), WHAT);
  return user;
}

export async function createUser(principal: Principal, input: UserInput): Promise<UserRecord> {
  const org = await getOrgInScope(principal, input.orgId);
  checkRolesFitOrg(input.roles, org);
  try {
    return await usersRepository.insert({
      username: input.username.toLowerCase(),
      passwordHash: await hashPassword(input.password),
      fullName: input.fullName,
      title: input.title ?? '',
      orgId: org._id,
      orgPath: org.orgPath,
      roles: [...new Set(input.roles)],
      active: true,
      sessionVersion: 0,
      lastLoginAt: null,
      searchKey: searchKey(`${input.username} ${input.fullName}`),
    });
  } catch (error) {
    if (isDuplicateKeyError(error)) {
      throw new ConflictError('CONFLICT', `Tên đăng nhập "${input.username}" đã được dùng.`, {
        errors: [{ path: 'username', message: 'Tên đăng nhập đã tồn tại' }],
      });
    }
    throw error;
  }
}

/** Disabling a user or changing their password ends all their sessions at once. */
export async function updateUser(principal: Principal, id: string, changes: UserChanges): Promise<UserRecord> {
  const user = await getUserInScope(principal, id);
  const isSelf = String(user._id) === principal.userId;
  if (isSelf && (changes.active === false || changes.roles !== undefined)) {
    throw new ValidationError([
      {
        path: changes.active === false ? 'active' : 'roles',
        message: 'Không thể tự khóa hoặc tự đổi vai trò của chính mình',
      },
    ]);
  }
  if (changes.roles) {
    const org = await getOrgInScope(principal, String(user.orgId));
    checkRolesFitOrg(changes.roles, org);
  }
  const { password, ...rest } = changes;
  const set: Partial<UserRecord> = { ...rest };
  if (changes.roles) set.roles = [...new Set(changes.roles)];
  if (password) set.passwordHash = await hashPassword(password);
  if (changes.fullName) set.searchKey = searchKey(`${user.username} ${changes.fullName}`);
  const endsSessions = changes.active === false || password !== undefined;
  const updated = await usersRepository.update(id, set, endsSessions);
  if (!updated) throw new NotFoundError(WHAT);
  return updated;
}

export interface UserListQuery extends ListQuery {
  orgId?: string;
  role?: Role;
  active?: boolean;
  q?: string;
}

export async function listUsers(principal: Principal, query: UserListQuery) {
  return usersRepository.list(
    {
      subtreeOf: principal.orgId,
      orgId: query.orgId,
      role: query.role,
      active: query.active,
      searchKey: query.q ? new RegExp(escapeRegex(searchKey(query.q))) : undefined,
    },
    query,
  );
}
