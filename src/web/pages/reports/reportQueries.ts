import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../api/client';
import type { GroupDim, ReportFilter } from './reportTypes';

export const SUMMARY_PATH = '/reports/summary';
export const REGISTER_PATH = '/reports/disbursements';

/** The summary's query as the API takes it: the filter and the groups, comma-separated. */
export function summaryQuery(filter: ReportFilter, groupBy: readonly GroupDim[]) {
  return { ...filter, groupBy: groupBy.join(',') || undefined };
}

// The previous figures stay on screen (dimmed by the table's loading state) while another period loads.
export function useSummary(filter: ReportFilter, groupBy: readonly GroupDim[]) {
  const query = summaryQuery(filter, groupBy);
  return useQuery({
    queryKey: ['reports', 'summary', query],
    queryFn: () => apiGet(SUMMARY_PATH, query),
    placeholderData: keepPreviousData,
  });
}

/** Lines of the register a page of the table shows: the server answers one page (a city's Tết quarter is 350,000). */
export const REGISTER_PAGE_SIZE = 50;

export function useRegister(filter: ReportFilter, page: number) {
  const query = { ...filter, page, limit: REGISTER_PAGE_SIZE };
  return useQuery({
    queryKey: ['reports', 'register', query],
    queryFn: () => apiGet(REGISTER_PATH, query),
    placeholderData: keepPreviousData,
  });
}
