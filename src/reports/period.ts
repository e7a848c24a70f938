import { ValidationError } from '../core/errors.js';
import { VN_TIME_ZONE } from '../core/shared/dates.js';
import { keyPeriod, type Period } from '../core/shared/period.js';

export {
  isWholeMonths,
  lastDayOfMonth,
  monthsOf,
  PERIOD_KEY,
  periodLabel,
  type Period,
} from '../core/shared/period.js';

/** `2026`, `2026-H1`, `2026-Q3`, `2026-08` → its first and last day; 400 for anything else. */
export function periodOfKey(key: string): Period {
  const period = keyPeriod(key);
  if (!period)
    throw new ValidationError([
      { path: 'period', message: 'Kỳ báo cáo phải có dạng 2026, 2026-H1, 2026-Q3 hoặc 2026-08' },
    ]);
  return period;
}

/** `period` or `from`/`to` (inclusive days), exactly one of the two forms. */
export function resolvePeriod(query: { period?: string; from?: string; to?: string }): Period {
  if (query.period) {
    if (query.from || query.to) {
      throw new ValidationError([{ path: 'period', message: 'Chỉ dùng một trong hai cách: period hoặc from/to' }]);
    }
    return periodOfKey(query.period);
  }
  if (!query.from || !query.to) {
    throw new ValidationError([
      { path: query.from ? 'to' : 'from', message: 'Cần kỳ báo cáo (period) hoặc cả from và to' },
    ]);
  }
  if (query.from > query.to)
    throw new ValidationError([{ path: 'from', message: 'Ngày bắt đầu không được sau ngày kết thúc' }]);
  return { key: null, from: query.from, to: query.to, timeZone: VN_TIME_ZONE };
}
