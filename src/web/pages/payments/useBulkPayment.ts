import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { apiSend } from '../../api/client';
import { errorText } from '../../lib/forms';
import type { PlannedPayment } from './bulk-plan';
import type { Disbursement } from './payment-types';
import { refreshAfterPayment } from './refresh';
import { runLimited } from './run-limited';
import { voucherBody, type VoucherInput } from './voucher-fields';

/** What became of one case's payment in this opening. */
export type Outcome =
  | { state: 'waiting' | 'sending' }
  | { state: 'paid'; payment: Disbursement }
  | { state: 'refused'; detail: string };

/** A payment as it was first sent: the same key and the same body on every retry, so the server pays it once. */
interface FrozenRequest {
  row: PlannedPayment;
  key: string;
  body: Record<string, unknown>;
}

/** Payments sent at once: enough to finish a list quickly, few enough not to crowd the server. */
const SEND_AT_ONCE = 3;

async function sendOne({ row, key, body }: FrozenRequest): Promise<Outcome> {
  try {
    const payment = await apiSend<Disbursement>('POST', `/cases/${row.caseId}/disbursements`, body, { headers: { 'Idempotency-Key': key } });
    return { state: 'paid', payment };
  } catch (error) {
    return { state: 'refused', detail: errorText(error) };
  }
}

function freeze(opening: string, rows: readonly PlannedPayment[], voucher: VoucherInput): FrozenRequest[] {
  const common = voucherBody(voucher);
  return rows.map((row) => ({
    row,
    // One key per opening and case (8–128 characters of [A-Za-z0-9._:-]): a double click, a retry after a
    // dropped connection or another "Thử lại" of this opening is answered from the first payment, never paid again.
    key: `${opening}:${row.caseId}`,
    body: { trancheNo: row.trancheNo, fundId: row.fundId, amount: row.amount, ...common },
  }));
}

/**
 * Pays the planned cases of a list, each with its own POST /cases/:id/disbursements, a few at a time. The
 * requests are fixed at the first send (the form is then locked), and a retry resends only the refused ones.
 */
export function useBulkPayment(opening: string) {
  const queryClient = useQueryClient();
  const [requests, setRequests] = useState<FrozenRequest[] | null>(null);
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({});
  const [sending, setSending] = useState(false);
  // State updates land after the click: a second click in the same moment is stopped by this flag.
  const busy = useRef(false);

  const mark = (caseIds: readonly string[], outcome: Outcome) =>
    setOutcomes((current) => ({ ...current, ...Object.fromEntries(caseIds.map((id) => [id, outcome])) }));

  async function run(batch: FrozenRequest[]): Promise<void> {
    busy.current = true;
    setSending(true);
    mark(batch.map((r) => r.row.caseId), { state: 'waiting' });
    await runLimited(batch, SEND_AT_ONCE, async (request) => {
      mark([request.row.caseId], { state: 'sending' });
      mark([request.row.caseId], await sendOne(request));
    });
    busy.current = false;
    setSending(false);
    await Promise.all([refreshAfterPayment(queryClient), queryClient.invalidateQueries({ queryKey: ['batches'] })]);
  }

  function start(rows: readonly PlannedPayment[], voucher: VoucherInput): void {
    if (busy.current || requests) return;
    const frozen = freeze(opening, rows, voucher);
    setRequests(frozen);
    void run(frozen);
  }

  function retryRefused(): void {
    if (busy.current || !requests) return;
    const refused = requests.filter((r) => outcomes[r.row.caseId]?.state === 'refused');
    if (refused.length) void run(refused);
  }

  const settled = Object.values(outcomes).filter((o) => o.state === 'paid' || o.state === 'refused').length;
  const count = (state: Outcome['state']) => Object.values(outcomes).filter((o) => o.state === state).length;
  return { started: requests !== null, total: requests?.length ?? 0, settled, paid: count('paid'), refused: count('refused'), outcomes, sending, start, retryRefused };
}
