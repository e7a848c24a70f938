import dayjs, { type Dayjs } from 'dayjs';
import type { Member } from '../../api/types';
import { isoDay } from '../../lib/format';

/** What the member form holds: dates as dayjs, every text as a string (empty when not given). */
export interface MemberFormValues {
  fullName: string;
  dateOfBirth?: Dayjs;
  gender?: 'male' | 'female';
  citizenId: string;
  unionCardNo: string;
  joinedUnionAt?: Dayjs;
  orgId?: string;
  phone: string;
  address: { province: string; commune: string; detail: string };
  bankAccount: { bankBin: string; accountNo: string; accountName: string };
}

export function emptyMember(orgId: string | undefined): MemberFormValues {
  return {
    fullName: '',
    citizenId: '',
    unionCardNo: '',
    orgId,
    phone: '',
    address: { province: '', commune: '', detail: '' },
    bankAccount: { bankBin: '', accountNo: '', accountName: '' },
  };
}

export function memberValues(member: Member): MemberFormValues {
  return {
    fullName: member.fullName,
    dateOfBirth: dayjs(member.dateOfBirth),
    gender: member.gender,
    citizenId: member.citizenId,
    unionCardNo: member.unionCardNo ?? '',
    joinedUnionAt: dayjs(member.joinedUnionAt),
    orgId: member.orgId,
    phone: member.phone,
    address: member.address,
    bankAccount: member.bankAccount ?? { bankBin: '', accountNo: '', accountName: '' },
  };
}

const BANK_FIELDS = ['bankBin', 'accountNo', 'accountName'] as const;

const trimmed = (text: string | undefined) => (text ?? '').trim();

/**
 * The API body of the form. An account is all or nothing: its filled parts are sent so that the API names
 * the missing ones beside their fields; an empty account is left out (create) or removed (edit, `null`).
 */
export function memberBody(values: MemberFormValues, mode: 'create' | 'edit'): Record<string, unknown> {
  const bankParts = BANK_FIELDS.map((key) => [key, trimmed(values.bankAccount?.[key])] as const).filter(
    ([, text]) => text,
  );
  const cardNo = trimmed(values.unionCardNo);
  const body: Record<string, unknown> = {
    fullName: trimmed(values.fullName),
    dateOfBirth: values.dateOfBirth ? isoDay(values.dateOfBirth) : undefined,
    gender: values.gender,
    citizenId: trimmed(values.citizenId),
    unionCardNo: cardNo || (mode === 'edit' ? '' : undefined),
    joinedUnionAt: values.joinedUnionAt ? isoDay(values.joinedUnionAt) : undefined,
    orgId: values.orgId,
    phone: trimmed(values.phone),
    address: {
      province: trimmed(values.address?.province),
      commune: trimmed(values.address?.commune),
      detail: trimmed(values.address?.detail),
    },
    bankAccount: bankParts.length ? Object.fromEntries(bankParts) : mode === 'edit' ? null : undefined,
  };
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}

/** Only what the user changed, so that an edit rewrites nothing else (the API refuses an empty change). */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(after).filter(([key, value]) => JSON.stringify(before[key]) !== JSON.stringify(value)),
  );
}
