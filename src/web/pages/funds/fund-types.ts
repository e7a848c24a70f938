import type { Fund } from '../../api/types';

export type { Fund, FundStatement, FundTotals, StatementEntry } from '../../api/types';

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
