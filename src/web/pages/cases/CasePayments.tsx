import { useQuery } from '@tanstack/react-query';
import { Card, Empty, Table, type TableProps } from 'antd';
import { Link } from 'react-router';
import { apiGet } from '../../api/client';
import { useSession } from '../../api/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { date, money } from '../../lib/format';
import { label } from '../../lib/labels';
import { StatusCell } from '../payments/PaymentColumns';
import { METHOD_NAMES, type Disbursement as Payment } from '../payments/payment-types';
import { SectionTitle } from './SectionTitle';

const PAYABLE = ['approved', 'partially_disbursed'];

const columns: TableProps<Payment>['columns'] = [
  { title: 'Số phiếu chi', dataIndex: 'voucherNo' },
  { title: 'Ngày chi', dataIndex: 'paidAt', render: (at: string) => date(at) },
  { title: 'Đợt', key: 'tranche', responsive: ['md'], render: (_, p) => `${p.trancheNo}. ${p.trancheLabel}` },
  { title: 'Nguồn', dataIndex: 'fundCode', responsive: ['lg'] },
  { title: 'Hình thức', dataIndex: 'method', responsive: ['lg'], render: (m: string) => label(METHOD_NAMES, m) },
  { title: 'Số tiền', dataIndex: 'amount', align: 'right', render: (n: number) => money(n) },
  { title: 'Tình trạng', dataIndex: 'status', render: (_: string, p) => <StatusCell entry={p} /> },
];

/** What was paid on the case, read-only (payments are recorded in Chi trả), for those who read payments. */
export function CasePayments({ caseId, status }: { caseId: string; status: string }) {
  const { hasRole } = useSession();
  const payments = useQuery({
    queryKey: ['cases', caseId, 'disbursements'],
    queryFn: () => apiGet(`/cases/${caseId}/disbursements`),
  });
  const canPay = hasRole('accountant') && PAYABLE.includes(status);
  return (
    <Card
      title={<SectionTitle>Chi trả</SectionTitle>}
      extra={canPay && <Link to={`/payments?caseId=${caseId}`}>Ghi nhận chi trả</Link>}
    >
      <ErrorAlert error={payments.error} />
      {payments.data && (
        <p>
          Đã chi {money(payments.data.disbursedAmount)} / phê duyệt {money(payments.data.approvedAmount)} · còn lại{' '}
          {money(payments.data.remainingAmount)}
        </p>
      )}
      <Table<Payment>
        rowKey="id"
        size="small"
        loading={payments.isLoading}
        columns={columns}
        dataSource={payments.data?.items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="Chưa chi khoản nào" /> }}
      />
    </Card>
  );
}
