/**
 * Report periods as the API takes them (SPEC §8): a key (`2026`, `2026-H2`, `2026-Q4`, `2026-11`) or an
 * inclusive range of Vietnamese days. The page keeps the chosen period in the URL in exactly that form; the
 * keys' grammar and their days are the server's own (src/core/shared/period.ts, a pure module).
 */
import { vnDay } from '../../../core/shared/dates';
import { keyPeriod, PERIOD_KEY } from '../../../core/shared/period';

export { monthsOf } from '../../../core/shared/period';

export type PeriodKind = 'month' | 'quarter' | 'half' | 'year' | 'range';

export type Period =
  { period: string; from?: undefined; to?: undefined } | { period?: undefined; from: string; to: string };

export const PERIOD_KINDS: { value: PeriodKind; label: string }[] = [
  { value: 'month', label: 'Tháng' },
  { value: 'quarter', label: 'Quý' },
  { value: 'half', label: '6 tháng' },
  { value: 'year', label: 'Năm' },
  { value: 'range', label: 'Khoảng ngày' },
];

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The period of `kind` that holds `day` (yyyy-mm-dd). */
export function keyOf(kind: Exclude<PeriodKind, 'range'>, day: string): string {
  const year = day.slice(0, 4);
  const month = Number(day.slice(5, 7));
  switch (kind) {
    case 'month':
      return day.slice(0, 7);
    case 'quarter':
      return `${year}-Q${Math.ceil(month / 3)}`;
    case 'half':
      return `${year}-H${month <= 6 ? 1 : 2}`;
    case 'year':
      return year;
  }
}

export function kindOf(period: Period): PeriodKind {
  if (period.period === undefined) return 'range';
  const part = PERIOD_KEY.exec(period.period)?.[2];
  if (!part) return 'year';
  if (part.startsWith('H')) return 'half';
  if (part.startsWith('Q')) return 'quarter';
  return 'month';
}

/** The first and last day of a period. */
export function daysOf(period: Period): { from: string; to: string } {
  if (period.period === undefined) return period;
  const days = keyPeriod(period.period);
  if (!days) throw new Error(`Kỳ báo cáo không hợp lệ: ${period.period}`);
  return days;
}

/** Another kind of period near the current one: the one holding today (in Vietnam) when today is inside, else its first day. */
export function switchKind(current: Period, kind: PeriodKind, today = vnDay()): Period {
  const { from, to } = daysOf(current);
  if (kind === 'range') return { from, to };
  return { period: keyOf(kind, today >= from && today <= to ? today : from) };
}

/** The period the URL names, or the current quarter in Vietnam when it names none (or nonsense). */
export function periodFromParams(params: URLSearchParams): Period {
  const key = params.get('period');
  if (key && PERIOD_KEY.test(key)) return { period: key };
  const from = params.get('from');
  const to = params.get('to');
  if (from && to && DAY.test(from) && DAY.test(to) && from <= to) return { from, to };
  return { period: keyOf('quarter', vnDay()) };
}
