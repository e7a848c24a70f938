import { Space } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useSession } from '../../api/session';
import { PageTitle } from '../../components/PageTitle';
import { BulkPaymentModal } from './BulkPaymentModal';
import { PaymentForm } from './PaymentForm';
import { PaymentsList } from './PaymentsList';
import { WaitingCases } from './WaitingCases';

/**
 * Chi trả: the cases waiting for payment (narrowed to one list by `?batchId=`), the payment form (also
 * opened by `?caseId=` from a case page), the payment of a whole list, and the payments with receipts,
 * reversals, VietQR and the bank's transfer list. Accountants act; approvers and administrators read.
 */
export default function PaymentsPage() {
  const accountant = useSession().hasRole('accountant');
  const [params, setParams] = useSearchParams();
  const [payingBatch, setPayingBatch] = useState(false);
  // The list payment in hand (a job on the server): kept in the address, so a reload shows it again.
  const payJob = params.get('payJob');
  const caseId = params.get('caseId');
  const batchId = params.get('batchId') ?? undefined;
  const setParam = (name: 'caseId' | 'batchId' | 'payJob', value: string | null | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: !(name === 'caseId' && value) });
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <PageTitle>Chi trả</PageTitle>
      <WaitingCases
        canPay={accountant}
        onPay={(record) => setParam('caseId', record.id)}
        batchId={batchId}
        onBatch={(id) => setParam('batchId', id)}
        onPayBatch={() => setPayingBatch(true)}
      />
      <PaymentsList />
      {/* Mounted per opening: each opening of a form has its own Idempotency-Key(s). */}
      {accountant && caseId && <PaymentForm key={caseId} caseId={caseId} onClose={() => setParam('caseId', null)} />}
      {accountant && batchId && (payingBatch || payJob) && (
        <BulkPaymentModal
          batchId={batchId}
          jobId={payJob}
          onStarted={(job) => setParam('payJob', job.id)}
          onClose={() => {
            setPayingBatch(false);
            setParam('payJob', null);
          }}
        />
      )}
    </Space>
  );
}
