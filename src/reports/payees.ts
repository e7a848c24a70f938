/**
 * People paid (`beneficiariesPaid`, SPEC Appendix A) counted as payments settle, so that a yearly summary reads
 * one counter document instead of grouping the year's payment entries per member.
 *
 * A person counts in a row when the net of their settled entries with that row's key is positive (a payment
 * reversed takes them out again). For each year and member one marker holds these nets, for every organisation
 * on the entry's chain (`orgPath`) and every single grouping a report offers here: the total, program,
 * subtype, org (the child of that organisation the entry lies under), fund and campaign. For each year and
 * organisation one counter holds how many markers are positive per grouping value. A settled entry adds its
 * amount to the marker with one `$inc` that answers the marker as it was before (exact on the engine, see
 * ENGINE-NOTES.md), so the crossings of zero it causes, and with them the counter moves, are exact however
 * many payments race. Other groupings (month, several dimensions) and other periods are counted from the
 * entries, as before (reports.service.ts).
 */
import { dimValuesAt, encodeValue, ROLLUP_DIMS, type RollupDim } from './rollup-keys.js';

export const PAYEE_DIMS = ROLLUP_DIMS;
export type PayeeDim = RollupDim;

/** What a settled entry brings to the count: its person, day, chain, keys and signed amount. */
export interface PayeeEntry {
  memberId: { toString(): string };
  paidAt: string;
  orgPath: { toString(): string }[];
  programCode: string;
  subtype?: string | null;
  campaignId?: { toString(): string } | null;
  fundId: { toString(): string };
  amount: number;
}

/** Nets (in a marker) or counts (in a counter) of one organisation, by grouping and encoded value. */
export type PayeeTally = { total?: number } & Partial<Record<PayeeDim, Record<string, number>>>;

export const markerId = (year: string, memberId: string) => `${year}|${memberId}`;
export const counterId = (year: string, orgId: string) => `${year}|${orgId}`;

/**
 * Adds an entry's amount to nets (`orgId` → tally, as a marker's `n` holds them), for every organisation of its chain
 * and every grouping (`dimValuesAt`: only the `org` row differs from one organisation of the chain to the next).
 */
export function addNets(n: Record<string, PayeeTally>, entry: PayeeEntry): void {
  const path = entry.orgPath.map(String);
  if (!path.length) return;
  const fixed = dimValuesAt(path, path.length - 1, entry);
  path.forEach((orgId, i) => {
    const tally = (n[orgId] ??= {});
    tally.total = (tally.total ?? 0) + entry.amount;
    for (const dim of PAYEE_DIMS) {
      const value = dim === 'org' ? encodeValue(path[i + 1] ?? orgId) : fixed[dim];
      const byValue = (tally[dim] ??= {});
      byValue[value] = (byValue[value] ?? 0) + entry.amount;
    }
  });
}

/** The nets some entries of one member and year add to their marker (an empty marker given them holds these). */
export function markerNets(entries: readonly PayeeEntry[]): Record<string, PayeeTally> {
  const n: Record<string, PayeeTally> = {};
  for (const entry of entries) addNets(n, entry);
  return n;
}

/** Nets as the marker's `$inc` (`n.<orgId>.total`, `n.<orgId>.<grouping>.<value>` → amount). */
export function netsInc(n: Record<string, PayeeTally>): Record<string, number> {
  const inc: Record<string, number> = {};
  for (const [orgId, tally] of Object.entries(n)) {
    if (tally.total !== undefined) inc[`n.${orgId}.total`] = tally.total;
    for (const dim of PAYEE_DIMS)
      for (const [value, amount] of Object.entries(tally[dim] ?? {})) inc[`n.${orgId}.${dim}.${value}`] = amount;
  }
  return inc;
}

/**
 * The counter moves (`orgId` → field → ±1) of adding `nets` to a marker that held `before`: +1 where a net becomes
 * positive, −1 where it stops being.
 */
export function crossings(
  before: Record<string, PayeeTally> | undefined,
  nets: Record<string, PayeeTally>,
): Map<string, Record<string, number>> {
  const moves = new Map<string, Record<string, number>>();
  const move = (orgId: string, field: string, was: number, amount: number) => {
    const now = was + amount;
    const step = was <= 0 && now > 0 ? 1 : was > 0 && now <= 0 ? -1 : 0;
    if (!step) return;
    const byOrg = moves.get(orgId) ?? {};
    byOrg[field] = step;
    moves.set(orgId, byOrg);
  };
  for (const [orgId, tally] of Object.entries(nets)) {
    const was = before?.[orgId];
    if (tally.total !== undefined) move(orgId, 'total', was?.total ?? 0, tally.total);
    for (const dim of PAYEE_DIMS)
      for (const [value, amount] of Object.entries(tally[dim] ?? {}))
        move(orgId, `${dim}.${value}`, was?.[dim]?.[value] ?? 0, amount);
  }
  return moves;
}

/** Entries grouped by their marker (member and year of payment). */
export function payeeGroups(entries: readonly PayeeEntry[]): PayeeEntry[][] {
  const groups = new Map<string, PayeeEntry[]>();
  for (const entry of entries) {
    const id = markerId(entry.paidAt.slice(0, 4), String(entry.memberId));
    const group = groups.get(id);
    if (group) group.push(entry);
    else groups.set(id, [entry]);
  }
  return [...groups.values()];
}

/** Counters (year|orgId → tally) of a set of markers' nets: the rebuild's and the check's side. */
export function countsOf(markers: Iterable<{ year: string; n: Record<string, PayeeTally> }>): Map<string, PayeeTally> {
  const counts = new Map<string, PayeeTally>();
  for (const { year, n } of markers) {
    for (const [orgId, tally] of Object.entries(n)) {
      const id = counterId(year, orgId);
      const count = counts.get(id) ?? {};
      if ((tally.total ?? 0) > 0) count.total = (count.total ?? 0) + 1;
      for (const dim of PAYEE_DIMS) {
        for (const [value, net] of Object.entries(tally[dim] ?? {})) {
          if (net <= 0) continue;
          const byValue = (count[dim] ??= {});
          byValue[value] = (byValue[value] ?? 0) + 1;
        }
      }
      counts.set(id, count);
    }
  }
  return counts;
}

/** Adds an entry's amount to in-memory markers (year|member → nets), as the live `$inc` does to stored ones. */
export function addToMarkers(
  markers: Map<string, { year: string; memberId: string; n: Record<string, PayeeTally> }>,
  entry: PayeeEntry,
): void {
  const year = entry.paidAt.slice(0, 4);
  const memberId = String(entry.memberId);
  const id = markerId(year, memberId);
  let marker = markers.get(id);
  if (!marker) markers.set(id, (marker = { year, memberId, n: {} }));
  addNets(marker.n, entry);
}

/** `target += factor × tally`, field by field. */
export function addTally(target: PayeeTally, tally: PayeeTally, factor = 1): void {
  if (tally.total) target.total = (target.total ?? 0) + factor * tally.total;
  for (const dim of PAYEE_DIMS) {
    for (const [value, n] of Object.entries(tally[dim] ?? {})) {
      const byValue = (target[dim] ??= {});
      byValue[value] = (byValue[value] ?? 0) + factor * n;
    }
  }
}
