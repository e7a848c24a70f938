import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { ChartBy } from './AmountsChart';
import type { ReportChoice } from './ReportFilters';
import { periodFromParams } from './reportPeriod';
import { GROUP_BY, type GroupDim, type ReportFilter } from './reportTypes';

/**
 * The report's choices live in the URL in the API's own names (`/reports?period=2026-Q4&groupBy=program`), so
 * a report can be shared and back/forward walk through periods. No `period` means the current quarter.
 */
export interface ReportParams extends ReportChoice {
  chart: ChartBy;
}

const DEFAULT_GROUPS: GroupDim[] = ['program'];

function read(search: URLSearchParams): ReportParams {
  const groups = search.get('groupBy');
  return {
    period: periodFromParams(search),
    // An empty `groupBy=` is a choice (the total alone); a missing one is the default.
    groupBy:
      groups === null
        ? DEFAULT_GROUPS
        : groups.split(',').filter((g): g is GroupDim => (GROUP_BY as readonly string[]).includes(g)),
    orgId: search.get('orgId') || undefined,
    chart: search.get('chart') === 'program' ? 'program' : 'month',
  };
}

function write(params: ReportParams): URLSearchParams {
  const search = new URLSearchParams();
  if (params.period.period !== undefined) search.set('period', params.period.period);
  else {
    search.set('from', params.period.from);
    search.set('to', params.period.to);
  }
  search.set('groupBy', params.groupBy.join(','));
  if (params.orgId) search.set('orgId', params.orgId);
  if (params.chart !== 'month') search.set('chart', params.chart);
  return search;
}

export function useReportParams() {
  const [search, setSearch] = useSearchParams();
  const params = useMemo(() => read(search), [search]);
  const change = useCallback(
    (changes: Partial<ReportParams>) => setSearch((current) => write({ ...read(current), ...changes })),
    [setSearch],
  );
  const filter: ReportFilter = useMemo(() => ({ ...params.period, orgId: params.orgId }), [params]);
  return { params, filter, change };
}
