import { ROLE_LEVEL, ROLES } from '../../../core/roles.js';
import type { Org } from '../../api/types';
import { LEVEL_NAMES, ROLE_NAMES, type Role } from '../../lib/labels';

/** Each role works at one organisation level (SPEC §2; admin at any), as the API checks it. */
export function roleFits(role: Role, level: Org['level'] | undefined): boolean {
  const needed = ROLE_LEVEL[role];
  return !level || needed === null || needed === level;
}

/** The roles as checkboxes, those the organisation's level cannot hold disabled with the reason. */
export function roleOptions(level: Org['level'] | undefined, locked = false) {
  return ROLES.map((role) => {
    const needed = ROLE_LEVEL[role];
    const fits = roleFits(role, level);
    return {
      value: role,
      label: fits || !needed ? ROLE_NAMES[role] : `${ROLE_NAMES[role]} (chỉ ở cấp ${LEVEL_NAMES[needed]?.toLowerCase()})`,
      disabled: locked || !fits,
    };
  });
}

export const ROLE_FILTER_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_NAMES[role] }));
