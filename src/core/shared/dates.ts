/**
 * Calendar days in Vietnam time (Asia/Ho_Chi_Minh, UTC+7 all year, no daylight saving). Rules such as
 * "the campaign is open today" or "12 months of membership at submission" are about Vietnamese days,
 * whatever the server's time zone.
 */
export const VN_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: VN_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** `YYYY-MM-DD` of the instant in Vietnam. */
export function vnDay(instant: Date = new Date()): string {
  return dayFormat.format(instant);
}

export function vnYear(instant: Date = new Date()): number {
  return Number(vnDay(instant).slice(0, 4));
}

/** `2026-11-24` → `24/11/2026`, as people read a day. */
export function dmy(day: string): string {
  return day.split('-').reverse().join('/');
}

/** The instant a Vietnamese day starts: `2026-07-01` → 2026-06-30T17:00:00Z. */
export function vnDayStart(day: string): Date {
  return new Date(`${day}T00:00:00+07:00`);
}

/** Whole months from one calendar day to another (a month is complete on the same day-of-month). */
export function fullMonthsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  let months = (ty - fy) * 12 + (tm - fm);
  if (td < fd) months -= 1;
  return Math.max(0, months);
}

/**
 * The date of an administrative document as Nghị định 30/2020/NĐ-CP writes it: "ngày 09 tháng 8 năm 2026".
 * Days below 10 and the months January and February take a leading zero (so "tháng 01", "tháng 02" cannot be
 * altered into "tháng 11", "tháng 12"); other months are written without one.
 */
export function vnDocumentDate(day: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const dd = String(date).padStart(2, '0');
  const mm = month < 3 ? String(month).padStart(2, '0') : String(month);
  return `ngày ${dd} tháng ${mm} năm ${year}`;
}
