import { READABLE_TAG } from '../../lib/tag-colors';

export type { CasePayments, Disbursement, PlannedTranche, Receipt, VietQr } from '../../api/types';

export const METHOD_NAMES: Record<string, string> = { cash: 'Tiền mặt', bank_transfer: 'Chuyển khoản' };

export const ENTRY_STATUS_NAMES: Record<string, string> = {
  paid: 'Đã chi',
  reversed: 'Đã hủy',
  reversal: 'Bút toán hủy',
};
export const ENTRY_STATUS_COLORS: Record<string, string | undefined> = {
  paid: READABLE_TAG.green,
  reversed: undefined,
  reversal: READABLE_TAG.volcano,
};
