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

export function useRegister(filter: ReportFilter) {
  return useQuery({
    queryKey: ['reports', 'register', filter],
    queryFn: () => apiGet(REGISTER_PATH, { ...filter }),
    placeholderData: keepPreviousData,
  });
}
