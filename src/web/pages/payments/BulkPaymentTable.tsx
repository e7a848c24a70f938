import { Flex, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { Link } from 'react-router';
import { money } from '../../lib/format';
import { READABLE_TAG } from '../../lib/tag-colors';
import type { PlanRow } from './bulk-plan';
import type { Outcome } from './useListPaymentJob';

const TAGS: Record<Outcome['state'] | 'planned' | 'skipped', { text: string; color: string }> = {
  planned: { text: 'Sẽ chi', color: READABLE_TAG.blue },
  skipped: { text: 'Bỏ qua', color: READABLE_TAG.grey },
  waiting: { text: 'Chờ gửi', color: READABLE_TAG.grey },
  sending: { text: 'Đang gửi', color: READABLE_TAG.blue },
  paid: { text: 'Đã chi', color: READABLE_TAG.green },
  refused: { text: 'Không chi được', color: READABLE_TAG.red },
};

/** The case's state in this opening, and the words beside it: the voucher of a payment, the reason of a refusal or a skip. */
function resultOf(row: PlanRow, outcome: Outcome | undefined): { tag: keyof typeof TAGS; text?: string } {
  // A payment made stands first: a page reloaded during the payment reads a plan in which it is already paid.
  if (outcome?.state === 'paid')
    return { tag: 'paid', text: `${money(outcome.payment.amount)}, phiếu ${outcome.payment.voucherNo}` };
  if (row.kind === 'skip') return { tag: 'skipped', text: row.reason };
  if (!outcome) return { tag: 'planned' };
  if (outcome.state === 'refused') return { tag: 'refused', text: outcome.detail };
  return { tag: outcome.state };
}

type Paid = Extract<Outcome, { state: 'paid' }>['payment'];

function columns(outcomes: Record<string, Outcome>): TableColumnsType<PlanRow> {
  // A payment made is shown as made: a page reloaded during the payment reads a plan in which the case is paid
  // already (skipped), so its tranche, amount and fund come from the payment itself.
  const paying =
    (render: (row: Extract<PlanRow, { kind: 'pay' }>) => string, made: (payment: Paid) => string | undefined) =>
    (_: unknown, row: PlanRow) => {
      const outcome = outcomes[row.caseId];
      if (outcome?.state === 'paid') return made(outcome.payment) ?? '—';
      return row.kind === 'pay' ? render(row) : '—';
    };
  return [
    {
      title: 'Mã hồ sơ',
      dataIndex: 'code',
      render: (code: string, row) => <Link to={`/cases/${row.caseId}`}>{code}</Link>,
    },
    { title: 'Đoàn viên', dataIndex: 'memberName' },
    {
      title: 'Đợt chi',
      key: 'tranche',
      render: paying(
        (row) => `Đợt ${row.trancheNo}: ${row.trancheLabel}`,
        (payment) => (payment.trancheNo ? `Đợt ${payment.trancheNo}` : undefined),
      ),
      responsive: ['md'],
    },
    {
      title: 'Số tiền',
      key: 'amount',
      align: 'right',
      render: paying(
        (row) => money(row.amount),
        (payment) => money(payment.amount),
      ),
      onCell: () => ({ className: 'list-whole' }),
      // On a phone the preview's total says it, and a payment's result names its amount.
      responsive: ['sm'],
    },
    {
      title: 'Nguồn',
      key: 'fund',
      render: paying(
        (row) => row.fundCode,
        (payment) => payment.fundCode,
      ),
      responsive: ['md'],
    },
    {
      title: 'Kết quả',
      key: 'result',
      render: (_: unknown, row) => {
        const { tag, text } = resultOf(row, outcomes[row.caseId]);
        return (
          <Flex vertical align="start" gap={2} style={{ maxWidth: 360 }}>
            <Tag color={TAGS[tag].color}>{TAGS[tag].text}</Tag>
            {text && <Typography.Text>{text}</Typography.Text>}
          </Flex>
        );
      },
    },
  ];
}

/** Every case of the list: before sending what will be paid or skipped, then what came of each payment. */
export function BulkPaymentTable({ rows, outcomes }: { rows: PlanRow[]; outcomes: Record<string, Outcome> }) {
  return (
    <Table<PlanRow>
      rowKey="caseId"
      size="small"
      className="list-table"
      columns={columns(outcomes)}
      dataSource={rows}
      pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
    />
  );
}
