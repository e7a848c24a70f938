/**
 * The single groupings that the yearly figures kept per organisation answer (yearly.ts, payees.ts): a
 * report of one calendar year grouped by none or one of these reads them by `_id` instead of adding up buckets
 * or entries. Values become field names, so they are encoded (never empty, no dot or dollar, null apart).
 */
export const ROLLUP_DIMS = ['program', 'subtype', 'org', 'fund', 'campaign'] as const;
export type RollupDim = (typeof ROLLUP_DIMS)[number];

export function encodeValue(value: string | null): string {
  if (value === null) return '~';
  return `v${value.replace(/[%.$~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

export function decodeValue(field: string): string | null {
  if (field === '~') return null;
  return decodeURIComponent(field.slice(1));
}

/** What a record is keyed by below its union: the fields `dimValuesAt` reads. */
export interface RollupKeys {
  programCode: string;
  subtype?: string | null;
  fundId?: { toString(): string } | null;
  campaignId?: { toString(): string } | null;
}

/**
 * The value of every grouping for the organisation at `path[i]`, encoded: its child on the path is the `org`
 * row (the organisation itself for its own records), as summary.ts `childOf` gives it.
 */
export function dimValuesAt(path: readonly string[], i: number, keys: RollupKeys): Record<RollupDim, string> {
  return {
    program: encodeValue(keys.programCode),
    subtype: encodeValue(keys.subtype ?? ''),
    org: encodeValue(path[i + 1] ?? path[i]!),
    fund: encodeValue(keys.fundId ? String(keys.fundId) : null),
    campaign: encodeValue(keys.campaignId ? String(keys.campaignId) : null),
  };
}

export const yearOf = (day: string) => day.slice(0, 4);

/** Every non-zero number of a nested document as `path → value` (`total`, `program.vx.open.submitted` …). */
export function flatNumbers(
  doc: object | undefined,
  prefix = '',
  into = new Map<string, number>(),
): Map<string, number> {
  for (const [key, v] of Object.entries(doc ?? {})) {
    if (typeof v === 'number') {
      if (v) into.set(`${prefix}${key}`, v);
    } else if (v && typeof v === 'object') flatNumbers(v as object, `${prefix}${key}.`, into);
  }
  return into;
}
