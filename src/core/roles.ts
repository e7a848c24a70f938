/** The roles of SPEC §2 and the organisation level each belongs to (admin: any level). */
export const ROLES = ['grassroots_officer', 'verifier', 'approver', 'accountant', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ORG_LEVELS = ['national', 'province', 'upper', 'grassroots'] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];

export const ROLE_LEVEL: Record<Role, OrgLevel | null> = {
  grassroots_officer: 'grassroots',
  verifier: 'upper',
  approver: 'province',
  accountant: 'province',
  admin: null,
};

export const ROLE_NAMES: Record<Role, string> = {
  grassroots_officer: 'Cán bộ công đoàn cơ sở',
  verifier: 'Cán bộ thẩm định (công đoàn cấp trên)',
  approver: 'Lãnh đạo phê duyệt (LĐLĐ tỉnh)',
  accountant: 'Kế toán',
  admin: 'Quản trị viên',
};
