/** `********1234`: all but the last four characters hidden (SPEC §3). */
export function mask(value: string | null | undefined): string | null | undefined {
  if (!value) return value;
  return '*'.repeat(Math.max(0, value.length - 4)) + value.slice(-4);
}

export function maskMember(member: Record<string, unknown>): Record<string, unknown> {
  const bank = member.bankAccount as { accountNo?: string } | null | undefined;
  return {
    ...member,
    citizenId: mask(member.citizenId as string),
    bankAccount: bank ? { ...bank, accountNo: mask(bank.accountNo) } : bank ?? null,
  };
}
