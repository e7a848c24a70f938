import { randomInt } from 'node:crypto';
import { arrange, login, loginAdmin, type Session } from './api.js';

/** Unique values per run, so tests never need a wiped database. */
let counter = 0;
const runTag = randomInt(0, 36 ** 4)
  .toString(36)
  .toUpperCase()
  .padStart(4, '0');

export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}${runTag}${counter}`;
}

export function uniqueCitizenId(): string {
  counter += 1;
  return `0${String(randomInt(0, 1e6)).padStart(6, '0')}${String(counter).padStart(5, '0')}`.slice(0, 12);
}

export const PASSWORD = 'mat-khau-thu-nghiem-1';

export interface Org {
  id: string;
  code: string;
  name: string;
  level: string;
  orgPath: string[];
}

export interface ProvinceTree {
  province: Org;
  upper: Org;
  grassroots: Org;
  /** A second grassroots union under the same upper union. */
  sibling: Org;
  sessions: {
    admin: Session;
    approver: Session;
    accountant: Session;
    verifier: Session;
    officer: Session;
    siblingOfficer: Session;
    upperAdmin: Session;
  };
}

export function orgBody(parentId: string, level: string, name: string) {
  const code = unique(level.slice(0, 2).toUpperCase());
  return {
    code,
    name: `${name} ${code}`,
    shortName: `${name.slice(0, 20)} ${code}`,
    level,
    parentId,
    place: 'Hà Tĩnh',
  };
}

export async function createOrg(admin: Session, parentId: string, level: string, name: string): Promise<Org> {
  return arrange<Org>(admin.post('/api/v1/orgs', orgBody(parentId, level, name)));
}

/** People's names take letters only: the digits of a unique value spelt as letters. */
export function lettersOnly(text: string): string {
  return text.replace(/\d/g, (digit) => 'abcdefghij'[Number(digit)]!);
}

export async function createUser(
  admin: Session,
  orgId: string,
  roles: string[],
): Promise<{ id: string; username: string }> {
  const username = unique('u').toLowerCase();
  return arrange(
    admin.post('/api/v1/users', {
      username,
      password: PASSWORD,
      fullName: `Người dùng ${lettersOnly(username)}`,
      orgId,
      roles,
    }),
  );
}

export async function userSession(admin: Session, orgId: string, roles: string[]): Promise<Session> {
  const user = await createUser(admin, orgId, roles);
  return login(user.username, PASSWORD);
}

/** A province with one upper union, two grassroots unions under it, and a user of every role. */
export async function createProvinceTree(): Promise<ProvinceTree> {
  const root = await loginAdmin();
  const rootOrgId = root.user.orgId;
  const province = await createOrg(root, rootOrgId, 'province', 'Liên đoàn Lao động tỉnh');
  const upper = await createOrg(root, province.id, 'upper', 'Công đoàn Khu kinh tế');
  const grassroots = await createOrg(root, upper.id, 'grassroots', 'Công đoàn cơ sở Công ty');
  const sibling = await createOrg(root, upper.id, 'grassroots', 'Công đoàn cơ sở Nhà máy');
  const [admin, approver, accountant, verifier, officer, siblingOfficer, upperAdmin] = await Promise.all([
    userSession(root, province.id, ['admin']),
    userSession(root, province.id, ['approver']),
    userSession(root, province.id, ['accountant']),
    userSession(root, upper.id, ['verifier']),
    userSession(root, grassroots.id, ['grassroots_officer']),
    userSession(root, sibling.id, ['grassroots_officer']),
    userSession(root, upper.id, ['admin']),
  ]);
  return {
    province,
    upper,
    grassroots,
    sibling,
    sessions: { admin, approver, accountant, verifier, officer, siblingOfficer, upperAdmin },
  };
}

export function memberBody(orgId: string, overrides: Record<string, unknown> = {}) {
  return {
    fullName: 'Nguyễn Văn An',
    dateOfBirth: '1985-04-12',
    gender: 'male',
    citizenId: uniqueCitizenId(),
    joinedUnionAt: '2015-03-01',
    orgId,
    phone: '0912345678',
    address: { province: 'Hà Tĩnh', commune: 'Xã Cẩm Bình', detail: 'Thôn 3' },
    bankAccount: { bankBin: '970415', accountNo: '1234567890', accountName: 'NGUYEN VAN AN' },
    ...overrides,
  };
}
