import type { Role } from '../lib/labels';

/** The sections of SPEC §12 and who uses them: the navigation and the route guard both read this table. */
export interface Section {
  path: string;
  title: string;
  roles: readonly Role[];
}

const ALL: readonly Role[] = ['grassroots_officer', 'verifier', 'approver', 'accountant', 'admin'];

export const SECTIONS: readonly Section[] = [
  { path: '/', title: 'Việc cần làm', roles: ALL },
  { path: '/members', title: 'Đoàn viên', roles: ['grassroots_officer', 'verifier', 'approver', 'admin'] },
  { path: '/cases', title: 'Hồ sơ', roles: ALL },
  { path: '/batches', title: 'Danh sách', roles: ['grassroots_officer', 'verifier', 'approver'] },
  { path: '/decisions', title: 'Quyết định', roles: ['approver', 'accountant', 'admin'] },
  { path: '/funds', title: 'Nguồn kinh phí', roles: ['approver', 'accountant', 'admin'] },
  { path: '/payments', title: 'Chi trả', roles: ['accountant', 'approver', 'admin'] },
  { path: '/reports', title: 'Báo cáo', roles: ['accountant', 'approver', 'admin'] },
  { path: '/admin', title: 'Quản trị', roles: ['admin'] },
];

export function sectionsFor(roles: readonly Role[]): Section[] {
  return SECTIONS.filter((section) => section.roles.some((role) => roles.includes(role)));
}

export function sectionOf(pathname: string): Section | undefined {
  return [...SECTIONS]
    .reverse()
    .find((section) => pathname === section.path || pathname.startsWith(section.path + '/'));
}
