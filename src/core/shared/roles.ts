import { holdsDelegation, type OrgLevel, type OrgShape } from './org-levels.js';

export { ORG_LEVELS, type OrgLevel } from './org-levels.js';

/** The roles of SPEC §2 and the organisation levels each belongs to (admin: any level). */
export const ROLES = ['grassroots_officer', 'verifier', 'approver', 'accountant', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The levels each role works at; a commune union holds `verifier` only while it holds the `verify` delegation. */
export const ROLE_LEVELS: Record<Role, readonly OrgLevel[] | null> = {
  grassroots_officer: ['grassroots'],
  verifier: ['upper', 'province', 'commune'],
  approver: ['province'],
  accountant: ['province'],
  admin: null,
};

/** Whether a user of this organisation may hold the role (SPEC §2 table). */
export function roleFitsOrg(role: Role, org: Pick<OrgShape, 'level' | 'delegations'>): boolean {
  const levels = ROLE_LEVELS[role];
  if (!levels) return true;
  if (!levels.includes(org.level as OrgLevel)) return false;
  return role !== 'verifier' || org.level !== 'commune' || holdsDelegation(org, 'verify');
}

export const ROLE_NAMES: Record<Role, string> = {
  grassroots_officer: 'Cán bộ công đoàn cơ sở',
  verifier: 'Cán bộ thẩm định (công đoàn cấp trên trực tiếp)',
  approver: 'Lãnh đạo phê duyệt (cấp tỉnh)',
  accountant: 'Kế toán',
  admin: 'Quản trị viên',
};
