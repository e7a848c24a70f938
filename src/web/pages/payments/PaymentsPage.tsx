import { Space } from 'antd';
import { useSearchParams } from 'react-router';
import { useSession } from '../../api/session';
import { PageTitle } from '../../components/PageTitle';
import { PaymentForm } from './PaymentForm';
import { PaymentsList } from './PaymentsList';
import { WaitingCases } from './WaitingCases';

/**
 * Chi trả: the cases waiting for payment, the payment form (also opened by `?caseId=` from a case page),
 * and the payments with receipts, reversals, VietQR and the bank's transfer list. Accountants act;
 * approvers and administrators read.
 */
export default function PaymentsPage() {
  const accountant = useSession().hasRole('accountant');
  const [params, setParams] = useSearchParams();
  const caseId = params.get('caseId');
  const setCase = (id: string | null) => {
    const next = new URLSearchParams(params);
    if (id) next.set('caseId', id);
    else next.delete('caseId');
    setParams(next, { replace: !id });
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <PageTitle>Chi trả</PageTitle>
      <WaitingCases canPay={accountant} onPay={(record) => setCase(record.id)} />
      <PaymentsList />
      {/* Mounted per opening: each opening of the form has its own Idempotency-Key. */}
      {accountant && caseId && <PaymentForm key={caseId} caseId={caseId} onClose={() => setCase(null)} />}
    </Space>
  );
}
