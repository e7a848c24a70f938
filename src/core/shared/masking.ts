/**
 * `********1234` (SPEC §3): always eight stars and the last four characters, so the mask tells neither the
 * length of the value nor, for a value of four characters or fewer, the value itself.
 */
export function mask(value: string | null | undefined): string | null | undefined {
  if (!value) return value;
  return '********' + (value.length > 4 ? value.slice(-4) : '');
}

export function maskMember(member: Record<string, unknown>): Record<string, unknown> {
  const bank = member.bankAccount as { accountNo?: string } | null | undefined;
  return {
    ...member,
    citizenId: mask(member.citizenId as string),
    bankAccount: bank ? { ...bank, accountNo: mask(bank.accountNo) } : (bank ?? null),
  };
}
