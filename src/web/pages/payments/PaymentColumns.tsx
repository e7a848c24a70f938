import { Button, Flex, Tag, Tooltip, type TableColumnsType } from 'antd';
import { Link } from 'react-router';
import { date, money } from '../../lib/format';
import { label } from '../../lib/labels';
import { ENTRY_STATUS_COLORS, ENTRY_STATUS_NAMES, METHOD_NAMES, type Disbursement } from './payment-types';

export type PaymentAction = 'receipts' | 'vietqr' | 'reverse';

interface Permissions {
  /** Accountants pay, reverse, upload receipts and see VietQR codes; others read. */
  accountant: boolean;
  userId: string;
}

/** The actions the server would accept from this user on this entry (four eyes: never the payer's own reversal). */
export function actionsFor(entry: Disbursement, { accountant, userId }: Permissions): PaymentAction[] {
  const inForce = entry.kind === 'payment' && entry.status === 'paid';
  return [
    'receipts' as const,
    ...(accountant && inForce && entry.method === 'bank_transfer' && entry.payee ? ['vietqr' as const] : []),
    ...(accountant && inForce && entry.createdBy.id !== userId ? ['reverse' as const] : []),
  ];
}

const ACTION_TEXT: Record<PaymentAction, string> = { receipts: 'Chứng từ', vietqr: 'VietQR', reverse: 'Hủy khoản chi' };

/** A payment's state as a tag, with the reversal's reason on hover (also on the case page). */
export function StatusCell({ entry }: { entry: Disbursement }) {
  const tag = <Tag color={ENTRY_STATUS_COLORS[entry.status]}>{label(ENTRY_STATUS_NAMES, entry.status)}</Tag>;
  const why =
    entry.status === 'reversed' ? entry.reversedBy?.reason : entry.status === 'reversal' ? entry.reason : null;
  return why ? (
    <Tooltip title={`Lý do: ${why}`}>
      <span tabIndex={0}>{tag}</span>
    </Tooltip>
  ) : (
    tag
  );
}

export function paymentColumns(
  permissions: Permissions,
  onAction: (action: PaymentAction, entry: Disbursement) => void,
): TableColumnsType<Disbursement> {
  return [
    { title: 'Ngày chi', dataIndex: 'paidAt', render: (day: string) => date(day) },
    {
      title: 'Hồ sơ, đoàn viên',
      dataIndex: 'caseCode',
      render: (code: string, entry) => (
        <Flex vertical>
          <Link to={`/cases/${entry.caseId}`}>{code}</Link>
          <span>{entry.memberName}</span>
        </Flex>
      ),
    },
    {
      title: 'Đợt',
      dataIndex: 'trancheNo',
      render: (no: number, entry) => `${no}: ${entry.trancheLabel}`,
      responsive: ['xxl'],
    },
    {
      title: 'Số tiền',
      dataIndex: 'amount',
      align: 'right',
      render: (amount: number, entry) => (
        <span style={entry.status === 'reversed' ? { textDecoration: 'line-through' } : undefined}>
          {money(amount)}
        </span>
      ),
    },
    { title: 'Nguồn', dataIndex: 'fundCode', responsive: ['md'] },
    {
      title: 'Hình thức',
      dataIndex: 'method',
      render: (method: string) => label(METHOD_NAMES, method),
      responsive: ['xxl'],
    },
    { title: 'Số phiếu', dataIndex: 'voucherNo', responsive: ['lg'] },
    {
      title: 'Người ghi',
      dataIndex: 'createdBy',
      render: (by: Disbursement['createdBy']) => by.name,
      responsive: ['lg'],
    },
    { title: 'Trạng thái', dataIndex: 'status', render: (_: string, entry) => <StatusCell entry={entry} /> },
    {
      title: 'Thao tác',
      key: 'actions',
      render: (_: unknown, entry) => (
        <Flex gap={4} wrap>
          {actionsFor(entry, permissions).map((action) => {
            const text =
              action === 'receipts' ? `${ACTION_TEXT.receipts} (${entry.receipts.length})` : ACTION_TEXT[action];
            return (
              <Button
                key={action}
                size="small"
                onClick={() => onAction(action, entry)}
                aria-label={`${text} – phiếu ${entry.voucherNo}, hồ sơ ${entry.caseCode}`}
              >
                {text}
              </Button>
            );
          })}
        </Flex>
      ),
    },
  ];
}
