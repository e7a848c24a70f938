/**
 * Report periods as pure rules, shared by the API (reports/period.ts) and the report pages.
 */
import { dmy, VN_TIME_ZONE } from './dates.js';

/**
 * A report period (SPEC §8) as inclusive Vietnamese days. Every record stores its days in Vietnam time
 * already (`submittedDay`, `approvedDay`, `paidAt`), so a period is a plain string range on those keys:
 * a payment at 23:30 UTC on 30 June was stored as `2026-07-01` and falls in July, whatever the server's zone.
 */
export interface Period {
  key: string | null;
  from: string;
  to: string;
  timeZone: typeof VN_TIME_ZONE;
}

export const PERIOD_KEY = /^(\d{4})(?:-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?$/;

const pad = (n: number) => String(n).padStart(2, '0');

export function lastDayOfMonth(year: number, month: number): string {
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${pad(month)}-${pad(days)}`;
}

function monthsRange(year: number, first: number, last: number): { from: string; to: string } {
  return { from: `${year}-${pad(first)}-01`, to: lastDayOfMonth(year, last) };
}

/** `2026`, `2026-H1`, `2026-Q3`, `2026-08` → its first and last day; null for anything else. */
export function keyPeriod(key: string): Period | null {
  const match = PERIOD_KEY.exec(key);
  if (!match) return null;
  const year = Number(match[1]);
  const part = match[2];
  let range: { from: string; to: string };
  if (!part) range = monthsRange(year, 1, 12);
  else if (part.startsWith('H')) range = part === 'H1' ? monthsRange(year, 1, 6) : monthsRange(year, 7, 12);
  else if (part.startsWith('Q')) {
    const q = Number(part.slice(1));
    range = monthsRange(year, q * 3 - 2, q * 3);
  } else range = monthsRange(year, Number(part), Number(part));
  return { key, ...range, timeZone: VN_TIME_ZONE };
}

/** Whole months only: then the monthly totals answer it; otherwise the raw records do. */
export function isWholeMonths(period: Period): boolean {
  const [y, m] = period.to.split('-').map(Number) as [number, number];
  return period.from.endsWith('-01') && period.to === lastDayOfMonth(y, m);
}

/** Every `YYYY-MM` from the period's first month to its last. */
export function monthsOf(period: Period): string[] {
  const months: string[] = [];
  let [y, m] = period.from.split('-').map(Number) as [number, number];
  const last = period.to.slice(0, 7);
  for (;;) {
    const month = `${y}-${pad(m)}`;
    months.push(month);
    if (month >= last) return months;
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
  }
}

/** "Quý III năm 2026", "Tháng 8 năm 2026", "6 tháng đầu năm 2026", or "Từ 15/07/2026 đến 10/08/2026". */
export function periodLabel(period: Period): string {
  const match = period.key ? PERIOD_KEY.exec(period.key) : null;
  if (!match) return `Từ ngày ${dmy(period.from)} đến ngày ${dmy(period.to)}`;
  const [, year, part] = match;
  if (!part) return `Năm ${year}`;
  if (part === 'H1') return `6 tháng đầu năm ${year}`;
  if (part === 'H2') return `6 tháng cuối năm ${year}`;
  if (part.startsWith('Q')) return `Quý ${['I', 'II', 'III', 'IV'][Number(part.slice(1)) - 1]} năm ${year}`;
  return `Tháng ${Number(part)} năm ${year}`;
}
