/** The report's pure lists, shared by the API (reports/events.ts, reports/summary.ts) and the report pages. */

/** The statuses a case counts as open in at the end of a period (the summary's "open" columns). */
export const OPEN_STATUSES = [
  'submitted',
  'returned',
  'verified',
  'approved',
  'partially_disbursed',
  'disbursed',
] as const;
export type OpenStatus = (typeof OPEN_STATUSES)[number];

/** How a summary may be grouped (SPEC §8), in the order the columns are printed. */
export const GROUP_BY = ['program', 'subtype', 'org', 'fund', 'month', 'campaign'] as const;
export type GroupDim = (typeof GROUP_BY)[number];
