import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../../api/client';

/** GET /batches/:id, shared by the import answer and the batch page (one cache entry per list). */
export function useBatch(id: string | undefined) {
  return useQuery({
    queryKey: ['batches', id],
    queryFn: () => apiGet(`/batches/${id}`),
    enabled: Boolean(id),
  });
}
