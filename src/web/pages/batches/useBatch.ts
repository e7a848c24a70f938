import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../api/client';

/**
 * GET /batches/:id without its cases (`cases=none`: counts and sums by status), shared by the import answer and
 * the batch page (one cache entry per list); the cases come a page at a time (`useBatchCases`).
 */
export function useBatch(id: string | undefined) {
  return useQuery({
    queryKey: ['batches', id],
    queryFn: () => apiGet(`/batches/${id}`, { cases: 'none' }),
    enabled: Boolean(id),
  });
}

/** Cases of the list shown on one page of its table. */
export const BATCH_PAGE_SIZE = 50;

/** One page of the list's cases in the order of the file (GET /batches/:id/cases); the previous page stays until it comes. */
export function useBatchCases(id: string, page: number, pageSize = BATCH_PAGE_SIZE) {
  return useQuery({
    queryKey: ['batches', id, 'cases', page, pageSize],
    queryFn: () => apiGet(`/batches/${id}/cases`, { page, limit: pageSize }),
    placeholderData: keepPreviousData,
  });
}
