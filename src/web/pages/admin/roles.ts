import { LEVEL_NAMES } from '../../../core/shared/org-levels.js';
import { ROLE_LEVELS, ROLES, roleFitsOrg } from '../../../core/shared/roles.js';
import type { Org } from '../../api/types';
import { ROLE_NAMES, type Role } from '../../lib/labels';

/** The organisation a role is checked against: its level and, for a commune union, its delegations. */
type OrgFit = Pick<Org, 'level' | 'delegations'> | undefined;

/** Each role works at the levels of SPEC §2 (admin at any), as the API checks it (core/shared/roles.ts). */
export function roleFits(role: Role, org: OrgFit): boolean {
  return !org || roleFitsOrg(role, org);
}

function whereNeeded(role: Role): string {
  const levels = ROLE_LEVELS[role]?.map((level) => LEVEL_NAMES[level].toLowerCase()).join(', ');
  return role === 'verifier' ? `${levels} được ủy quyền thẩm định` : (levels ?? '');
}

/** The roles as checkboxes, those the organisation cannot hold disabled with the reason. */
export function roleOptions(org: OrgFit, locked = false) {
  return ROLES.map((role) => {
    const fits = roleFits(role, org);
    return {
      value: role,
      label: fits || !ROLE_LEVELS[role] ? ROLE_NAMES[role] : `${ROLE_NAMES[role]} (chỉ ở: ${whereNeeded(role)})`,
      disabled: locked || !fits,
    };
  });
}

export const ROLE_FILTER_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_NAMES[role] }));
