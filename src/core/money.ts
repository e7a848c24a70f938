import { doReadNumber, ReadingConfig } from 'read-vietnamese-number';

// Grouping is shared with the web pages (core/shared/money.ts); the words are the server's alone.
export { formatVnd, formatVndWithUnit } from './shared/money.js';

/**
 * The reading used on financial papers: "linh" for a zero tens digit (một triệu không trăm linh năm nghìn),
 * "nghìn" and "tỷ", as accounting forms and the decisions of the federations write them. The library's
 * defaults ("lẻ", "tỉ") are the southern and the older spellings.
 */
const wordsConfig = Object.assign(new ReadingConfig(), {
  unit: ['đồng'],
  oddText: 'linh',
  units: [[], ['nghìn'], ['triệu'], ['tỷ']],
});

/** `50000000` → "Năm mươi triệu đồng": the "Bằng chữ" line of a decision or a voucher. */
export function amountInWords(amount: number): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`not a whole number of VND: ${amount}`);
  const words = doReadNumber(BigInt(amount), wordsConfig);
  return words.charAt(0).toUpperCase() + words.slice(1);
}
