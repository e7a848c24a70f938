import { Banks, VietQRStatus } from 'vietnam-qr-pay';

/**
 * Vietnamese banks by their NAPAS BIN, from the VietQR bank list that vietnam-qr-pay ships (the package that
 * builds our VietQR codes; it follows the list NAPAS/VietQR publish). One table for the service and the pages:
 * people read a bank's name ("VietinBank"), the BIN is for machines and bank files.
 */
export interface BankInfo {
  bin: string;
  /** The name people use: "VietinBank", "Agribank". */
  shortName: string;
  /** The registered name: "Ngân hàng TMCP Công thương Việt Nam". */
  name: string;
}

// A BIN can appear twice when a bank was renamed (DongA Bank → Vikki Bank, 970406): the list's later entry,
// the current name, wins.
const byBin = new Map<string, BankInfo>(
  Banks.filter((bank) => !bank.deprecated).map((bank) => [
    bank.bin,
    { bin: bank.bin, shortName: bank.shortName, name: bank.name },
  ]),
);

export function bankOf(bin: string | null | undefined): BankInfo | undefined {
  return bin ? byBin.get(bin) : undefined;
}

/** The bank's short name, or null for a BIN the list does not know. */
export function bankName(bin: string | null | undefined): string | null {
  return bankOf(bin)?.shortName ?? null;
}

/** What a page or a paper prints for an account's bank: its name, or the BIN itself when the list lacks it. */
export function bankLabel(bin: string | null | undefined): string {
  if (!bin) return '—';
  return bankName(bin) ?? `Ngân hàng mã BIN ${bin}`;
}

/** Banks a member's account can be paid into by transfer, by name: the choices offered when typing an account. */
export const TRANSFER_BANKS: readonly BankInfo[] = [
  ...new Set(
    Banks.filter((bank) => !bank.deprecated && bank.vietQRStatus === VietQRStatus.TRANSFER_SUPPORTED).map(
      (bank) => bank.bin,
    ),
  ),
]
  .map((bin) => byBin.get(bin)!)
  .sort((a, b) => a.shortName.localeCompare(b.shortName, 'vi'));
