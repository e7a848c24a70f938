import type { Person } from '../../api/types';

/** A fund as GET /funds answers it (SPEC §7): totals in VND. */
export interface Fund {
  id: string;
  code: string;
  name: string;
  kind: string;
  sponsorName: string | null;
  year: number;
  orgId: string;
  allocated: number;
  /** Approved amounts of the cases drawing on the fund, paid or not. */
  committed: number;
  disbursed: number;
  /** allocated − committed: what approvals can still take. */
  available: number;
  createdBy: Person;
  createdAt: string;
}

export interface FundTotals {
  allocated: number;
  committed: number;
  disbursed: number;
  available: number;
  /** allocated − disbursed: money still in the fund. */
  balance: number;
}

export interface StatementEntry {
  id: string;
  at: string;
  kind: string;
  amount: number;
  caseId: string | null;
  caseCode: string | null;
  disbursementId: string | null;
  voucherNo: string | null;
  note: string;
  by: Person | null;
  running: FundTotals;
}

export interface FundStatement {
  fund: Fund;
  from: string | null;
  to: string | null;
  opening: FundTotals;
  entries: StatementEntry[];
  closing: FundTotals;
}

export const FUND_KIND_NAMES: Record<string, string> = {
  union_finance: 'Tài chính công đoàn',
  social_fund: 'Quỹ xã hội',
  sponsor: 'Tài trợ',
  upper_support: 'Hỗ trợ cấp trên',
};

export const ENTRY_KIND_NAMES: Record<string, string> = {
  allocation: 'Phân bổ ban đầu',
  adjustment: 'Điều chỉnh phân bổ',
  commitment: 'Cam kết cho hồ sơ',
  release: 'Giải phóng cam kết',
  payment: 'Chi trả',
  reversal: 'Hủy khoản chi',
};

/** Tồn quỹ: what is still in the fund (allocated − disbursed), beside what approvals can still take. */
export function balanceOf(fund: Pick<Fund, 'allocated' | 'disbursed'>): number {
  return fund.allocated - fund.disbursed;
}
