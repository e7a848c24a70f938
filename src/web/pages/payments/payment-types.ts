import { READABLE_TAG } from '../../lib/tag-colors';
import type { FundAllocation, Person } from '../../api/types';

export interface Receipt {
  id: string;
  originalName: string;
  mimeType: string;
  size: number;
  uploadedBy: Person;
  uploadedAt: string;
}

/** A payment or its reversal entry as GET /disbursements answers it (account numbers masked in lists). */
export interface Disbursement {
  id: string;
  kind: 'payment' | 'reversal';
  /** paid: in force; reversed: cancelled by a reversal; reversal: the cancelling entry. */
  status: 'paid' | 'reversed' | 'reversal';
  caseId: string;
  caseCode: string;
  memberName: string;
  fundId: string;
  fundCode: string;
  trancheNo: number;
  trancheLabel: string;
  amount: number;
  method: 'cash' | 'bank_transfer';
  paidAt: string;
  voucherNo: string;
  note: string;
  transferNote: string;
  payee: { fullName: string; bankBin: string; bankName: string | null; accountNo: string; accountName: string } | null;
  reverses: string | null;
  reason: string | null;
  reversedBy: { id: string; reason: string; by: Person; at: string } | null;
  receipts: Receipt[];
  createdBy: Person;
  createdAt: string;
}

export interface PlannedTranche {
  no: number;
  label: string;
  percent: number;
  amount: number;
  paid: number;
  remaining: number;
  requiresDocuments: string[];
}

/** GET /cases/:id/disbursements: the tranche plan, the funds the approval drew on and what was paid. */
export interface CasePayments {
  caseId: string;
  code: string;
  status: string;
  approvedAmount: number | null;
  disbursedAmount: number;
  remainingAmount: number;
  tranches: PlannedTranche[];
  fundAllocations: FundAllocation[];
  items: Disbursement[];
}

export interface VietQr {
  payload: string;
  bankBin: string;
  bankName: string | null;
  accountNo: string;
  accountName: string;
  amount: number;
  purpose: string;
  transferNote: string;
}

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
