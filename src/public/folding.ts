/** The figures the public sees of a group: approvals and payments, never who. */
export interface PublicFigures {
  approved: { count: number; amount: number };
  disbursed: { count: number; amount: number };
  beneficiariesPaid: number;
}

export interface PublicRow extends PublicFigures {
  /** The report's group key; null on the "Khác" row. */
  key: { program: string | null; campaign: string | null } | null;
  program: string;
  campaign: string | null;
  /** On the "Khác" row: how many groups it holds. */
  groups?: number;
}

/** No figure may describe fewer people than this (SPEC §15). */
export const MIN_GROUP_SIZE = 5;

/** The people a group's figures are about: its approved cases (one person each), or those paid if more. */
function people(row: PublicFigures): number {
  return Math.max(row.approved.count, row.beneficiariesPaid);
}

function isSmall(row: PublicFigures): boolean {
  return people(row) < MIN_GROUP_SIZE;
}

function isEmpty(row: PublicFigures): boolean {
  return !row.approved.count && !row.approved.amount && !row.disbursed.amount && !row.beneficiariesPaid;
}

function otherRow(rows: readonly PublicRow[]): PublicRow {
  const sum = (pick: (r: PublicRow) => number) => rows.reduce((total, r) => total + pick(r), 0);
  return {
    key: null,
    program: 'Khác',
    campaign: null,
    groups: rows.length,
    approved: { count: sum((r) => r.approved.count), amount: sum((r) => r.approved.amount) },
    disbursed: { count: sum((r) => r.disbursed.count), amount: sum((r) => r.disbursed.amount) },
    beneficiariesPaid: sum((r) => r.beneficiariesPaid),
  };
}

/**
 * Folds every group smaller than five people into one "Khác" row, so no one can be singled out. When "Khác"
 * itself would be small while other groups are shown, the smallest shown groups join it too: the total is
 * published, so a small "Khác" could otherwise be read off as total minus the shown rows. Groups with only
 * received or open cases (no approval, no payment in the period) are not public figures and are left out.
 */
export function foldSmallGroups(all: readonly PublicRow[]): { rows: PublicRow[]; minGroupSize: number } {
  const rows = all.filter((r) => !isEmpty(r));
  const shown = rows.filter((r) => !isSmall(r)).sort((a, b) => people(b) - people(a));
  const folded = rows.filter(isSmall);
  while (folded.length && shown.length && isSmall(otherRow(folded))) folded.push(shown.pop()!);
  return { rows: folded.length ? [...shown, otherRow(folded)] : shown, minGroupSize: MIN_GROUP_SIZE };
}
