import dayjs, { type Dayjs } from 'dayjs';
import { dmy, VN_TIME_ZONE, vnDay } from '../../core/shared/dates.js';
import { formatVnd } from '../../core/shared/money.js';

/** `50.000.000 đ` — VND are integers everywhere, grouped as the server's papers group them. */
export function money(amount: number | null | undefined): string {
  if (amount === null || amount === undefined) return '—';
  return `${formatVnd(amount)} đ`;
}

/** Grouping without the unit, for inputs and tables with the unit in the header. */
export function groupDigits(amount: number): string {
  return formatVnd(amount);
}

const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/;
const clock = new Intl.DateTimeFormat('en-GB', {
  timeZone: VN_TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/*
 * Days and times are Vietnam's, as the service keeps them (paidAt, periods, "today"), whatever time zone the
 * computer is set to: an office PC left on UTC must not show a payment of 00:20 on the 24th as the 23rd.
 */

/** `dd/mm/yyyy`: a calendar day (`2026-11-24`) as it is, an instant as its day in Vietnam. */
export function date(value: string | Date | null | undefined): string {
  if (!value) return '—';
  return dmy(typeof value === 'string' && CALENDAR_DAY.test(value) ? value : vnDay(new Date(value)));
}

/** `dd/mm/yyyy HH:mm` of an instant, in Vietnam. */
export function dateTime(value: string | Date | null | undefined): string {
  return value ? `${date(value)} ${clock.format(new Date(value))}` : '—';
}

/** Today in Vietnam as a date-picker value: the default of "Ngày chi" and the last day a picker allows. */
export function vnToday(): Dayjs {
  return dayjs(vnDay());
}

/** For date pickers: days after today in Vietnam cannot be chosen. */
export function afterVnToday(day: Dayjs): boolean {
  return day.isAfter(vnToday(), 'day');
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
  return formatVnd(Number(value));
}
