import type { Role } from '../core/roles.js';
import { searchKey } from '../core/search-text.js';

/** A sample province for trying the service: Hà Tĩnh with two upper unions and four grassroots unions. */
export const DEMO_PASSWORD = 'demo-mat-khau-2026';

export interface DemoOrg {
  key: string;
  parent: string | null;
  code: string;
  level: 'province' | 'upper' | 'grassroots';
  name: string;
  shortName: string;
}

export const DEMO_ORGS: DemoOrg[] = [
  { key: 'province', parent: null, code: 'HT', level: 'province', name: 'Liên đoàn Lao động tỉnh Hà Tĩnh', shortName: 'LĐLĐ tỉnh Hà Tĩnh' },
  { key: 'camxuyen', parent: 'province', code: 'HT-CX', level: 'upper', name: 'Liên đoàn Lao động huyện Cẩm Xuyên', shortName: 'LĐLĐ huyện Cẩm Xuyên' },
  { key: 'vungang', parent: 'province', code: 'HT-VA', level: 'upper', name: 'Công đoàn Khu kinh tế Vũng Áng', shortName: 'CĐ KKT Vũng Áng' },
  { key: 'thcs', parent: 'camxuyen', code: 'HT-CX-THCSCB', level: 'grassroots', name: 'Công đoàn cơ sở Trường THCS Cẩm Bình', shortName: 'CĐCS Trường THCS Cẩm Bình' },
  { key: 'yte', parent: 'camxuyen', code: 'HT-CX-TYT', level: 'grassroots', name: 'Công đoàn cơ sở Trung tâm Y tế huyện Cẩm Xuyên', shortName: 'CĐCS TTYT Cẩm Xuyên' },
  { key: 'may', parent: 'vungang', code: 'HT-VA-MAY', level: 'grassroots', name: 'Công đoàn cơ sở Công ty Cổ phần May Vũng Áng', shortName: 'CĐCS Công ty CP May Vũng Áng' },
  { key: 'cang', parent: 'vungang', code: 'HT-VA-CANG', level: 'grassroots', name: 'Công đoàn cơ sở Công ty Cảng Vũng Áng', shortName: 'CĐCS Công ty Cảng Vũng Áng' },
];

export const DEMO_USERS: { username: string; org: string; roles: Role[]; fullName: string; title: string }[] = [
  { username: 'quantri.hatinh', org: 'province', roles: ['admin'], fullName: 'Lê Văn Quản', title: 'Quản trị hệ thống' },
  { username: 'pheduyet.hatinh', org: 'province', roles: ['approver'], fullName: 'Nguyễn Văn Danh', title: 'Chủ tịch' },
  { username: 'ketoan.hatinh', org: 'province', roles: ['accountant'], fullName: 'Trần Thị Bình', title: 'Kế toán' },
  { username: 'ketoan2.hatinh', org: 'province', roles: ['accountant'], fullName: 'Phạm Thị Hoa', title: 'Kế toán' },
  { username: 'thamdinh.camxuyen', org: 'camxuyen', roles: ['verifier'], fullName: 'Võ Thị Thu', title: 'Phó Chủ tịch' },
  { username: 'thamdinh.vungang', org: 'vungang', roles: ['verifier'], fullName: 'Hoàng Văn Nam', title: 'Chủ tịch' },
  { username: 'cdcs.thcs', org: 'thcs', roles: ['grassroots_officer'], fullName: 'Đặng Thị Lan', title: 'Chủ tịch CĐCS' },
  { username: 'cdcs.yte', org: 'yte', roles: ['grassroots_officer'], fullName: 'Bùi Văn Tâm', title: 'Chủ tịch CĐCS' },
  { username: 'cdcs.may', org: 'may', roles: ['grassroots_officer'], fullName: 'Ngô Thị Mai', title: 'Chủ tịch CĐCS' },
  { username: 'cdcs.cang', org: 'cang', roles: ['grassroots_officer'], fullName: 'Dương Văn Hùng', title: 'Chủ tịch CĐCS' },
];

const NAMES = [
  ['Nguyễn Văn An', 'male'], ['Trần Thị Hằng', 'female'], ['Lê Văn Đức', 'male'], ['Phạm Thị Ngọc', 'female'],
  ['Hoàng Văn Phúc', 'male'], ['Võ Thị Yến', 'female'], ['Đặng Văn Khoa', 'male'], ['Bùi Thị Thảo', 'female'],
  ['Đỗ Văn Sơn', 'male'], ['Hồ Thị Lệ', 'female'], ['Ngô Văn Tùng', 'male'], ['Dương Thị Nga', 'female'],
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

/** Three members per grassroots union, with deterministic CCCD numbers (042 = Hà Tĩnh) and bank accounts (for transfers and VietQR). */
export function demoMembers(): DemoMember[] {
  const unions = DEMO_ORGS.filter((o) => o.level === 'grassroots');
  return NAMES.map(([fullName, gender], i) => ({
    org: unions[i % unions.length]!.key,
    fullName,
    gender,
    citizenId: `04208${String(5000000 + i * 137).padStart(7, '0')}`,
    dateOfBirth: `${1970 + i * 2}-0${(i % 9) + 1}-1${i % 9}`,
    joinedUnionAt: `${2005 + i}-03-01`,
    // Banks keep the holder's name in capitals without diacritics, as the member API stores it.
    bankAccount: { bankBin: BANK_BINS[i % BANK_BINS.length]!, accountNo: `10${String(20_260_000 + i * 7919).padStart(10, '0')}`, accountName: searchKey(fullName).toUpperCase() },
  }));
}
