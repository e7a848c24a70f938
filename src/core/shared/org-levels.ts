/**
 * The shape of the union since 1 July 2025 (SPEC §2): the levels, what each may sit under, the kinds of a
 * province-level organisation, the delegations of a commune union and the "direct upper union" rule.
 * Pure rules, shared by the API and the pages, so both answer alike.
 */
export const ORG_LEVELS = ['national', 'province', 'upper', 'commune', 'grassroots'] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];

/** What each level may sit under. A grassroots union sits under an upper union, a commune union or the province itself. */
export const ALLOWED_PARENTS: Readonly<Record<OrgLevel, readonly OrgLevel[]>> = {
  national: [],
  province: ['national'],
  upper: ['province'],
  commune: ['province'],
  grassroots: ['upper', 'commune', 'province'],
};

/** A province-level organisation is a provincial federation or a central sector union (e.g. Công đoàn Công Thương Việt Nam). */
export const ORG_KINDS = ['provincial_federation', 'central_sector_union'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];
export const DEFAULT_ORG_KIND: OrgKind = 'provincial_federation';

/** What a province may hand down to a commune union: `verify`, the verification of its grassroots unions' cases. */
export const ORG_DELEGATIONS = ['verify'] as const;
export type OrgDelegation = (typeof ORG_DELEGATIONS)[number];

/** The levels that may carry a kind, and delegations. */
export const KIND_LEVEL: OrgLevel = 'province';
export const DELEGATION_LEVEL: OrgLevel = 'commune';

export const LEVEL_NAMES: Readonly<Record<OrgLevel, string>> = {
  national: 'Trung ương',
  province: 'Cấp tỉnh',
  upper: 'Công đoàn cấp trên trực tiếp cơ sở',
  commune: 'Công đoàn xã, phường',
  grassroots: 'Công đoàn cơ sở',
};

export const KIND_NAMES: Readonly<Record<OrgKind, string>> = {
  provincial_federation: 'Liên đoàn Lao động tỉnh, thành phố',
  central_sector_union: 'Công đoàn ngành trung ương',
};

export const DELEGATION_NAMES: Readonly<Record<OrgDelegation, string>> = {
  verify: 'Được ủy quyền thẩm định',
};

/** The fields the structure rules read from an organisation (stored ids may be ObjectIds). */
export interface OrgShape {
  _id?: unknown;
  id?: unknown;
  level: string;
  parentId?: unknown;
  orgPath?: readonly unknown[];
  kind?: string | null;
  delegations?: readonly string[] | null;
}

const idOf = (org: OrgShape): string => String(org._id ?? org.id);

/** Stored data from before kinds existed reads as a provincial federation; other levels have no kind. */
export function kindOf(org: Pick<OrgShape, 'level' | 'kind'>): OrgKind | null {
  if (org.level !== KIND_LEVEL) return null;
  return (org.kind as OrgKind | null | undefined) ?? DEFAULT_ORG_KIND;
}

export function holdsDelegation(org: Pick<OrgShape, 'level' | 'delegations'>, delegation: OrgDelegation): boolean {
  return org.level === DELEGATION_LEVEL && (org.delegations ?? []).includes(delegation);
}

/**
 * A grassroots union's direct upper union (công đoàn cấp trên trực tiếp cơ sở), the organisation that verifies
 * its cases (SPEC §2): its parent when the parent is an upper union or a province; under a commune union, that
 * commune union when it holds `verify`, else the province above it. Null for anything that is not a grassroots
 * union. The one place this rule lives: verification, Việc cần làm, allowedActions and the pages all ask it.
 */
export function directUpperUnionId(org: OrgShape, parent: OrgShape | null): string | null {
  if (org.level !== 'grassroots' || !parent) return null;
  if (parent.level === 'upper' || parent.level === 'province') return idOf(parent);
  if (parent.level === 'commune') {
    if (holdsDelegation(parent, 'verify')) return idOf(parent);
    // The commune union sits directly under its province (ALLOWED_PARENTS): the province is its parent.
    return parent.parentId ? String(parent.parentId) : null;
  }
  return null;
}

/** The levels that may be created under an organisation of `level` (the inverse of ALLOWED_PARENTS). */
export function childLevelsOf(level: string): OrgLevel[] {
  return ORG_LEVELS.filter((child) => ALLOWED_PARENTS[child].includes(level as OrgLevel));
}
