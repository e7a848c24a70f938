import type { OrgDelegation, OrgKind, OrgLevel } from '../core/shared/org-levels.js';
import type { Role } from '../core/shared/roles.js';
import { searchKey } from '../core/search-text.js';

/**
 * A sample of the union as it stands since 1 July 2025 (SPEC §2): LĐLĐ tỉnh Hà Tĩnh with most grassroots unions
 * directly under it (the district federations were dissolved), one remaining upper union (the economic zone's),
 * a ward union the province lets verify, and a central sector union (Công đoàn Công Thương Việt Nam) at the
 * provincial level with a corporation union and grassroots unions of its own.
 */
export const DEMO_PASSWORD = 'demo-mat-khau-2026';

export interface DemoOrg {
  key: string;
  /** The key of the parent; null: directly under the national body. */
  parent: string | null;
  code: string;
  level: OrgLevel;
  name: string;
  shortName: string;
  kind?: OrgKind;
  delegations?: OrgDelegation[];
  place?: string;
}

export const DEMO_ORGS: DemoOrg[] = [
  {
    key: 'province',
    parent: null,
    code: 'HT',
    level: 'province',
    kind: 'provincial_federation',
    name: 'Liên đoàn Lao động tỉnh Hà Tĩnh',
    shortName: 'LĐLĐ tỉnh Hà Tĩnh',
  },
  // The former district federation, dissolved on 1 July 2025 (DEMO_REORGANISATION): its unions now sit directly under the province.
  {
    key: 'camxuyen',
    parent: 'province',
    code: 'HT-CX',
    level: 'upper',
    name: 'Liên đoàn Lao động huyện Cẩm Xuyên',
    shortName: 'LĐLĐ huyện Cẩm Xuyên',
  },
  {
    key: 'vungang',
    parent: 'province',
    code: 'HT-VA',
    level: 'upper',
    name: 'Công đoàn Khu kinh tế tỉnh Hà Tĩnh',
    shortName: 'CĐ KKT tỉnh Hà Tĩnh',
  },
  {
    key: 'thanhsen',
    parent: 'province',
    code: 'HT-TS',
    level: 'commune',
    delegations: ['verify'],
    name: 'Công đoàn phường Thành Sen',
    shortName: 'CĐ phường Thành Sen',
  },
  // Codes stay as they were given: a union keeps its code when it moves.
  {
    key: 'thcs',
    parent: 'camxuyen',
    code: 'HT-CX-THCSCB',
    level: 'grassroots',
    name: 'Công đoàn cơ sở Trường THCS Cẩm Bình',
    shortName: 'CĐCS Trường THCS Cẩm Bình',
  },
  {
    key: 'yte',
    parent: 'camxuyen',
    code: 'HT-CX-TYT',
    level: 'grassroots',
    name: 'Công đoàn cơ sở Trung tâm Y tế Cẩm Xuyên',
    shortName: 'CĐCS TTYT Cẩm Xuyên',
  },
  {
    key: 'may',
    parent: 'vungang',
    code: 'HT-VA-MAY',
    level: 'grassroots',
    name: 'Công đoàn cơ sở Công ty Cổ phần May Vũng Áng',
    shortName: 'CĐCS Công ty CP May Vũng Áng',
  },
  {
    key: 'cang',
    parent: 'vungang',
    code: 'HT-VA-CANG',
    level: 'grassroots',
    name: 'Công đoàn cơ sở Công ty Cảng Vũng Áng',
    shortName: 'CĐCS Công ty Cảng Vũng Áng',
  },
  {
    key: 'mamnon',
    parent: 'thanhsen',
    code: 'HT-TS-MN',
    level: 'grassroots',
    name: 'Công đoàn cơ sở Trường Mầm non Thành Sen',
    shortName: 'CĐCS Trường MN Thành Sen',
  },
  {
    key: 'congthuong',
    parent: null,
    code: 'CTVN',
    level: 'province',
    kind: 'central_sector_union',
    place: 'Hà Nội',
    name: 'Công đoàn Công Thương Việt Nam',
    shortName: 'CĐ Công Thương VN',
  },
  {
    key: 'hoachat',
    parent: 'congthuong',
    code: 'CTVN-HC',
    level: 'upper',
    place: 'Hà Nội',
    name: 'Công đoàn Tập đoàn Hóa chất Việt Nam',
    shortName: 'CĐ Tập đoàn Hóa chất VN',
  },
  {
    key: 'binhdien',
    parent: 'hoachat',
    code: 'CTVN-HC-BD',
    level: 'grassroots',
    place: 'Tây Ninh',
    name: 'Công đoàn cơ sở Công ty Cổ phần Phân bón Bình Điền',
    shortName: 'CĐCS Công ty CP Phân bón Bình Điền',
  },
  {
    key: 'dhcn',
    parent: 'congthuong',
    code: 'CTVN-DHCN',
    level: 'grassroots',
    place: 'Hà Nội',
    name: 'Công đoàn cơ sở Trường Đại học Công nghiệp Hà Nội',
    shortName: 'CĐCS Trường ĐH Công nghiệp Hà Nội',
  },
];

/**
 * Hà Tĩnh's 1 July 2025 reorganisation as it touches the demo: the district federation dissolved, its grassroots
 * unions placed directly under the province. The seed builds the structure as it is after it; the history
 * (and the dissolved status) is written by the reorganisation feature (SPEC §13) when it runs this step.
 */
export const DEMO_REORGANISATION = {
  dissolved: 'camxuyen',
  successor: 'province',
  moved: ['thcs', 'yte'],
  effectiveDate: '2025-07-01',
  reason:
    'Kết thúc hoạt động công đoàn cấp huyện theo chủ trương sắp xếp tổ chức bộ máy (chính quyền địa phương hai cấp)',
} as const;

export const DEMO_USERS: { username: string; org: string; roles: Role[]; fullName: string; title: string }[] = [
  {
    username: 'quantri.hatinh',
    org: 'province',
    roles: ['admin'],
    fullName: 'Lê Văn Quản',
    title: 'Quản trị hệ thống',
  },
  { username: 'pheduyet.hatinh', org: 'province', roles: ['approver'], fullName: 'Nguyễn Văn Danh', title: 'Chủ tịch' },
  { username: 'ketoan.hatinh', org: 'province', roles: ['accountant'], fullName: 'Trần Thị Bình', title: 'Kế toán' },
  { username: 'ketoan2.hatinh', org: 'province', roles: ['accountant'], fullName: 'Phạm Thị Hoa', title: 'Kế toán' },
  // The province verifies the unions directly under it; its vice-chair both verifies and approves (four eyes keeps them apart).
  {
    username: 'thamdinh.hatinh',
    org: 'province',
    roles: ['verifier'],
    fullName: 'Võ Thị Thu',
    title: 'Trưởng ban Chính sách pháp luật',
  },
  {
    username: 'lanhdao.hatinh',
    org: 'province',
    roles: ['verifier', 'approver'],
    fullName: 'Phan Văn Hưng',
    title: 'Phó Chủ tịch',
  },
  { username: 'thamdinh.vungang', org: 'vungang', roles: ['verifier'], fullName: 'Hoàng Văn Nam', title: 'Chủ tịch' },
  { username: 'thamdinh.thanhsen', org: 'thanhsen', roles: ['verifier'], fullName: 'Nguyễn Thị Lý', title: 'Chủ tịch' },
  {
    username: 'cdcs.thcs',
    org: 'thcs',
    roles: ['grassroots_officer'],
    fullName: 'Đặng Thị Lan',
    title: 'Chủ tịch CĐCS',
  },
  { username: 'cdcs.yte', org: 'yte', roles: ['grassroots_officer'], fullName: 'Bùi Văn Tâm', title: 'Chủ tịch CĐCS' },
  { username: 'cdcs.may', org: 'may', roles: ['grassroots_officer'], fullName: 'Ngô Thị Mai', title: 'Chủ tịch CĐCS' },
  {
    username: 'cdcs.cang',
    org: 'cang',
    roles: ['grassroots_officer'],
    fullName: 'Dương Văn Hùng',
    title: 'Chủ tịch CĐCS',
  },
  {
    username: 'cdcs.mamnon',
    org: 'mamnon',
    roles: ['grassroots_officer'],
    fullName: 'Trần Thị Oanh',
    title: 'Chủ tịch CĐCS',
  },
  {
    username: 'quantri.congthuong',
    org: 'congthuong',
    roles: ['admin'],
    fullName: 'Lý Văn Khải',
    title: 'Quản trị hệ thống',
  },
  {
    username: 'pheduyet.congthuong',
    org: 'congthuong',
    roles: ['approver'],
    fullName: 'Đinh Thị Hạnh',
    title: 'Phó Chủ tịch',
  },
  {
    username: 'ketoan.congthuong',
    org: 'congthuong',
    roles: ['accountant'],
    fullName: 'Mai Văn Lực',
    title: 'Kế toán',
  },
  { username: 'thamdinh.hoachat', org: 'hoachat', roles: ['verifier'], fullName: 'Tạ Văn Bình', title: 'Chủ tịch' },
  {
    username: 'cdcs.binhdien',
    org: 'binhdien',
    roles: ['grassroots_officer'],
    fullName: 'Lâm Thị Xuân',
    title: 'Chủ tịch CĐCS',
  },
];

const NAMES = [
  ['Nguyễn Văn An', 'male'],
  ['Trần Thị Hằng', 'female'],
  ['Lê Văn Đức', 'male'],
  ['Phạm Thị Ngọc', 'female'],
  ['Hoàng Văn Phúc', 'male'],
  ['Võ Thị Yến', 'female'],
  ['Đặng Văn Khoa', 'male'],
  ['Bùi Thị Thảo', 'female'],
  ['Đỗ Văn Sơn', 'male'],
  ['Hồ Thị Lệ', 'female'],
  ['Ngô Văn Tùng', 'male'],
  ['Dương Thị Nga', 'female'],
] as const;

/** VietinBank, Agribank, Vietcombank, BIDV: the banks the demo members are paid through. */
const BANK_BINS = ['970415', '970405', '970436', '970418'];

export interface DemoMember {
  org: string;
  fullName: string;
  gender: 'male' | 'female';
  citizenId: string;
  dateOfBirth: string;
  joinedUnionAt: string;
  bankAccount: { bankBin: string; accountNo: string; accountName: string };
}

/** The unions the twelve Hà Tĩnh members below belong to, three each (the demo cases pair them with their officers). */
const MEMBER_UNIONS = ['thcs', 'yte', 'may', 'cang'];

/** Three members per union of MEMBER_UNIONS, with deterministic CCCD numbers (042 = Hà Tĩnh) and bank accounts (for transfers and VietQR). */
export function demoMembers(): DemoMember[] {
  const unions = MEMBER_UNIONS.map((key) => ({ key }));
  return NAMES.map(([fullName, gender], i) => ({
    org: unions[i % unions.length]!.key,
    fullName,
    gender,
    citizenId: `04208${String(5000000 + i * 137).padStart(7, '0')}`,
    dateOfBirth: `${1970 + i * 2}-0${(i % 9) + 1}-1${i % 9}`,
    joinedUnionAt: `${2005 + i}-03-01`,
    // Banks keep the holder's name in capitals without diacritics, as the member API stores it.
    bankAccount: {
      bankBin: BANK_BINS[i % BANK_BINS.length]!,
      accountNo: `10${String(20_260_000 + i * 7919).padStart(10, '0')}`,
      accountName: searchKey(fullName).toUpperCase(),
    },
  }));
}

/** One member each for the ward union's school and the central sector union's fertiliser company (CCCD 080: born in Long An, now Tây Ninh). */
export function demoNewStructureMembers(): DemoMember[] {
  const member = (
    org: string,
    fullName: string,
    gender: 'male' | 'female',
    citizenId: string,
    i: number,
  ): DemoMember => ({
    org,
    fullName,
    gender,
    citizenId,
    dateOfBirth: `198${i}-05-2${i}`,
    joinedUnionAt: `201${i}-09-01`,
    bankAccount: {
      bankBin: BANK_BINS[i]!,
      accountNo: `20${String(20_250_000 + i * 4241).padStart(10, '0')}`,
      accountName: searchKey(fullName).toUpperCase(),
    },
  });
  return [
    member('mamnon', 'Nguyễn Thị Thanh Tâm', 'female', '042186000301', 1),
    member('binhdien', 'Huỳnh Văn Lộc', 'male', '080085000401', 2),
  ];
}
