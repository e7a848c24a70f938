import { doReadNumber, ReadingConfig } from 'read-vietnamese-number';

/** VND are integers everywhere; for people they are grouped with dots: 50.000.000 đồng. */
export function formatVnd(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(Math.trunc(amount)));
  return `${sign}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.')}`;
}

export function formatVndWithUnit(amount: number): string {
  return `${formatVnd(amount)} đồng`;
}

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
