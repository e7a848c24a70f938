import { formatVnd } from '../../core/money.js';

/** Type sizes of a printed report: 11 pt in the table (an accountant reads and signs it), as the decisions' list. */
export const SIZE = {
  cell: 11,
  title: 14,
  period: 13,
  caption: 11,
  signature: 12,
  signatureNote: 11,
  pageNumber: 12,
  footer: 9,
};
export const PAD_X = 4;
export const PAD_Y = 3;

/** Numbers grouped as Vietnamese write them (`25.000.000`); text in NFC so that it prints and extracts the same. */
export function cellText(value: string | number): string {
  return typeof value === 'number' ? formatVnd(value) : value.normalize('NFC');
}
