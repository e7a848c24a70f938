import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { apiStartJob } from '../../api/client';
import type { Job, ListPaymentResult } from '../../api/types';
import { isJobOver, useJob } from '../../components/JobProgress';
import { refreshAfterPayment } from './refresh';
import { voucherBody, type VoucherInput } from './voucher-fields';

/** What became of one case's payment in the server's list payment (POST /batches/:id/pay). */
export type Outcome =
  | { state: 'waiting' | 'sending' }
  | { state: 'paid'; payment: { amount: number; voucherNo: string; trancheNo?: number; fundCode?: string } }
  | { state: 'refused'; detail: string };

export type ListPaymentJob = Job<ListPaymentResult>;

function outcomesOf(job: ListPaymentJob | undefined): Record<string, Outcome> {
  if (!job?.result) return {};
  const { voucherNo } = job.result;
  return Object.fromEntries(
    job.result.results.map((r): [string, Outcome] => [
      r.caseId,
      r.outcome === 'paid'
        ? {
            state: 'paid',
            payment: {
              amount: r.payment?.amount ?? 0,
              voucherNo,
              trancheNo: r.payment?.trancheNo,
              fundCode: r.payment?.fundCode,
            },
          }
        : { state: 'refused', detail: r.problem?.detail ?? r.reason ?? '' },
    ]),
  );
}

/**
 * Paying a whole list is one request: the server pays each case as a job (SPEC §14), so closing the tab stops
 * nothing. `jobId` (kept in the address by the page) follows a job already started; the opening's key makes
 * a double click or a retry answer the same job.
 */
export function useListPaymentJob(
  batchId: string,
  opening: string,
  jobId: string | null,
  onStarted: (job: Job) => void,
) {
  const queryClient = useQueryClient();
  const start = useMutation({
    mutationFn: (voucher: VoucherInput) =>
      apiStartJob(`/batches/${batchId}/pay`, voucherBody(voucher), { 'Idempotency-Key': opening }),
    onSuccess: (job) => {
      queryClient.setQueryData(['jobs', job.id], job);
      onStarted(job);
    },
  });
  const job = useJob<ListPaymentResult>(jobId).data;
  const over = isJobOver(job);
  useEffect(() => {
    if (over)
      void Promise.all([refreshAfterPayment(queryClient), queryClient.invalidateQueries({ queryKey: ['batches'] })]);
  }, [over, queryClient]);
  return { job, start, outcomes: outcomesOf(job) };
}
