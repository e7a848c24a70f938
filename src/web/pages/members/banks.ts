/**
 * Common banks and their NAPAS BIN, offered as suggestions for a member's account; any other six-digit
 * BIN may still be typed (the API checks the format).
 */
export const BANKS: readonly { bin: string; name: string }[] = [
  { bin: '970405', name: 'Agribank' },
  { bin: '970436', name: 'Vietcombank' },
  { bin: '970415', name: 'VietinBank' },
  { bin: '970418', name: 'BIDV' },
  { bin: '970407', name: 'Techcombank' },
  { bin: '970422', name: 'MB' },
  { bin: '970416', name: 'ACB' },
  { bin: '970432', name: 'VPBank' },
  { bin: '970403', name: 'Sacombank' },
  { bin: '970423', name: 'TPBank' },
  { bin: '970449', name: 'LPBank' },
];

export function bankName(bin: string | undefined): string | undefined {
  return BANKS.find((bank) => bank.bin === bin)?.name;
}
