import type { QueryClient } from '@tanstack/react-query';

/** A payment or a reversal moves the case, its plan, the payments list and the fund with its statement. */
export function refreshAfterPayment(queryClient: QueryClient): Promise<unknown> {
  return Promise.all(
    ['cases', 'case-payments', 'disbursements', 'funds', 'fund-statement'].map((key) =>
      queryClient.invalidateQueries({ queryKey: [key] }),
    ),
  );
}
