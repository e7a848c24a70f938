import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

/**
 * The case list's filters, page and order live in the URL (`/cases?status=submitted&sort=updatedAt`), so a link
 * from Việc cần làm opens the right list, a filtered list can be shared, and back/forward walk through filters.
 * The names are the API's own (SPEC §10), so the URL's query is the request's query.
 */
export interface CaseListParams {
  status: string[];
  programCode?: string;
  orgId?: string;
  /** Cases whose direct upper union is this organisation: a verifier's own queue (Việc cần làm's "Xem tất cả"). */
  verifierOrgId?: string;
  campaignId?: string;
  from?: string;
  to?: string;
  q?: string;
  page: number;
  limit: number;
  sort: string;
}

export type CaseFilterName = 'status' | 'programCode' | 'orgId' | 'campaignId' | 'from' | 'to' | 'q';

export const DEFAULT_SORT = '-createdAt';
export const PAGE_SIZES = [20, 50, 100];
const DEFAULT_LIMIT = 20;
const TEXT_FILTERS = ['programCode', 'orgId', 'verifierOrgId', 'campaignId', 'from', 'to', 'q'] as const;

function positive(text: string | null, fallback: number, max = Infinity): number {
  const value = Number(text);
  return Number.isInteger(value) && value >= 1 ? Math.min(value, max) : fallback;
}

export function readParams(search: URLSearchParams): CaseListParams {
  const params: CaseListParams = {
    status: (search.get('status') ?? '').split(',').filter(Boolean),
    page: positive(search.get('page'), 1),
    limit: positive(search.get('limit'), DEFAULT_LIMIT, 100),
    sort: search.get('sort') || DEFAULT_SORT,
  };
  for (const name of TEXT_FILTERS) params[name] = search.get(name) || undefined;
  return params;
}

function writeParams(params: CaseListParams): URLSearchParams {
  const search = new URLSearchParams();
  if (params.status.length) search.set('status', params.status.join(','));
  for (const name of TEXT_FILTERS) if (params[name]) search.set(name, params[name]);
  if (params.sort !== DEFAULT_SORT) search.set('sort', params.sort);
  if (params.page > 1) search.set('page', String(params.page));
  if (params.limit !== DEFAULT_LIMIT) search.set('limit', String(params.limit));
  return search;
}

/** The request's query: the URL's filters with empty ones left out. */
export function apiQuery(params: CaseListParams) {
  return { ...params, status: params.status.length ? params.status : undefined };
}

export function hasFilters(params: CaseListParams): boolean {
  return params.status.length > 0 || TEXT_FILTERS.some((name) => params[name]);
}

/**
 * The list's parameters and a way to change them; a changed filter starts again at page 1. Changes start
 * from the address as it is now, not as last rendered: the router renders a navigation in a transition, so
 * a second change right after the first (a status picked, then a search typed) must not undo the first.
 */
export function useCaseListParams() {
  const [search, setSearch] = useSearchParams();
  const params = useMemo(() => readParams(search), [search]);
  const update = useCallback(
    (changes: Partial<CaseListParams>) => {
      const current = readParams(new URLSearchParams(window.location.search));
      const filterChanged = Object.keys(changes).some((key) => key !== 'page' && key !== 'limit' && key !== 'sort');
      setSearch(writeParams({ ...current, ...(filterChanged ? { page: 1 } : {}), ...changes }));
    },
    [setSearch],
  );
  const clear = useCallback(() => {
    const current = readParams(new URLSearchParams(window.location.search));
    setSearch(writeParams({ ...readParams(new URLSearchParams()), sort: current.sort, limit: current.limit }));
  }, [setSearch]);
  return { params, update, clear };
}
