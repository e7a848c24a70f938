import dayjs from 'dayjs';

const grouping = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });

/** `50.000.000 đ` — VND are integers everywhere. */
export function money(amount: number | null | undefined): string {
  if (amount === null || amount === undefined) return '—';
  return `${grouping.format(amount)} đ`;
}

/** Grouping without the unit, for inputs and tables with the unit in the header. */
export function groupDigits(amount: number): string {
  return grouping.format(amount);
}

/** `dd/mm/yyyy` in the browser's time zone (Vietnam for our users). */
export function date(value: string | Date | null | undefined): string {
  return value ? dayjs(value).format('DD/MM/YYYY') : '—';
}

export function dateTime(value: string | Date | null | undefined): string {
  return value ? dayjs(value).format('DD/MM/YYYY HH:mm') : '—';
}

/** The ISO calendar day `yyyy-mm-dd` of a picked date, as the API takes dates. */
export function isoDay(value: dayjs.Dayjs): string {
  return value.format('YYYY-MM-DD');
}

/** Parses what people type in money inputs: `50.000.000`, `50 000 000`, `50000000`. */
export function parseMoney(text: string | undefined): number {
  return Number((text ?? '').replace(/[^\d]/g, '')) || 0;
}

export function formatMoneyInput(value: string | number | undefined): string {
  if (value === undefined || value === '') return '';
  return grouping.format(Number(value));
}
