import type { Role } from '../../lib/labels';

export type BatchActionName = 'submit' | 'verify' | 'approve' | 'return' | 'reject';

export interface BatchActionDef {
  action: BatchActionName;
  /** The button and the result's title. */
  title: string;
  /** Who may take it and from which case statuses: the single-case workflow table of SPEC §5. */
  roles: readonly Role[];
  from: readonly string[];
  /** Final for the cases: asks once more before sending. */
  final?: boolean;
}

export const BATCH_ACTIONS: readonly BatchActionDef[] = [
  { action: 'submit', title: 'Gửi lên cấp trên', roles: ['grassroots_officer'], from: ['draft', 'returned'] },
  { action: 'verify', title: 'Thẩm định', roles: ['verifier'], from: ['submitted'] },
  { action: 'approve', title: 'Phê duyệt', roles: ['approver'], from: ['verified'] },
  { action: 'return', title: 'Trả lại', roles: ['verifier', 'approver'], from: ['submitted', 'verified'] },
  { action: 'reject', title: 'Từ chối', roles: ['verifier', 'approver'], from: ['submitted', 'verified'], final: true },
];

/** The statuses an action applies to; approval takes submitted cases too where the program needs no verification. */
export function eligibleStatuses(def: BatchActionDef, requiresVerification: boolean): Set<string> {
  const from = new Set(def.from);
  if (def.action === 'approve' && !requiresVerification) from.add('submitted');
  return from;
}

/** Who is looking: their roles, and whether their organisation is the list's direct upper union (a verifier acts only then). */
export interface Viewer {
  roles: readonly Role[];
  verifiesList: boolean;
}

/** The actions the user's roles allow that would move at least one case of the list now (its counts by status). */
export function availableActions(
  viewer: Viewer,
  statusCounts: Readonly<Record<string, number>>,
  requiresVerification: boolean,
): BatchActionDef[] {
  return BATCH_ACTIONS.filter((def) => {
    if (!def.roles.some((role) => viewer.roles.includes(role) && (role !== 'verifier' || viewer.verifiesList)))
      return false;
    const from = eligibleStatuses(def, requiresVerification);
    return [...from].some((status) => (statusCounts[status] ?? 0) > 0);
  });
}
