import { Empty, Table, Tag, type TableProps } from 'antd';
import { Link } from 'react-router';
import { dateTime, money } from '../../lib/format';
import { label } from '../../lib/labels';
import { ENTRY_KIND_NAMES, type FundTotals, type StatementEntry } from './fund-types';
import { READABLE_TAG } from '../../lib/tag-colors';

const KIND_COLORS: Record<string, string> = {
  payment: READABLE_TAG.blue,
  reversal: READABLE_TAG.volcano,
  commitment: READABLE_TAG.gold,
  release: READABLE_TAG.cyan,
  adjustment: READABLE_TAG.purple,
  allocation: READABLE_TAG.green,
};

type Responsive = NonNullable<TableProps<unknown>['columns']>[number]['responsive'];

function totalColumn<T>(title: string, pick: (row: T) => number, responsive?: Responsive) {
  return { title, key: title, align: 'right' as const, responsive, render: (_: unknown, row: T) => money(pick(row)) };
}

const entryColumns: TableProps<StatementEntry>['columns'] = [
  { title: 'Thời điểm', dataIndex: 'at', render: (at: string) => dateTime(at) },
  {
    title: 'Phát sinh',
    dataIndex: 'kind',
    render: (kind: string) => <Tag color={KIND_COLORS[kind]}>{label(ENTRY_KIND_NAMES, kind)}</Tag>,
  },
  {
    title: 'Hồ sơ',
    dataIndex: 'caseCode',
    render: (code: string | null, entry) =>
      code && entry.caseId ? <Link to={`/cases/${entry.caseId}`}>{code}</Link> : '—',
  },
  { title: 'Số chứng từ', dataIndex: 'voucherNo', render: (no: string | null) => no ?? '—', responsive: ['md'] },
  { title: 'Diễn giải', dataIndex: 'note', responsive: ['lg'] },
  totalColumn<StatementEntry>('Số tiền', (e) => e.amount),
  totalColumn<StatementEntry>('Phân bổ lũy kế', (e) => e.running.allocated, ['xxl']),
  totalColumn<StatementEntry>('Đã cam kết lũy kế', (e) => e.running.committed, ['xxl']),
  totalColumn<StatementEntry>('Đã chi lũy kế', (e) => e.running.disbursed, ['xxl']),
  totalColumn<StatementEntry>('Còn có thể cam kết', (e) => e.running.available, ['md']),
  totalColumn<StatementEntry>('Tồn quỹ', (e) => e.running.balance),
  { title: 'Người ghi', dataIndex: 'by', render: (by: StatementEntry['by']) => by?.name ?? '—', responsive: ['xxl'] },
];

/** Every movement of the period with the balances after it, as GET /funds/:id/statement gives them. */
export function StatementTable({ entries, loading }: { entries: StatementEntry[] | undefined; loading: boolean }) {
  return (
    <Table<StatementEntry>
      rowKey="id"
      size="middle"
      columns={entryColumns}
      dataSource={entries}
      loading={loading}
      scroll={{ x: 'max-content' }}
      locale={{
        emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="Không có phát sinh nào trong kỳ." />,
      }}
      pagination={{
        defaultPageSize: 50,
        showSizeChanger: true,
        hideOnSinglePage: true,
        showTotal: (total) => `${total} phát sinh`,
      }}
    />
  );
}

interface TotalsRow extends FundTotals {
  key: string;
  title: string;
}

const totalsColumns: TableProps<TotalsRow>['columns'] = [
  { title: 'Số dư', dataIndex: 'title' },
  totalColumn<TotalsRow>('Phân bổ', (t) => t.allocated),
  totalColumn<TotalsRow>('Đã cam kết', (t) => t.committed),
  totalColumn<TotalsRow>('Đã chi', (t) => t.disbursed),
  totalColumn<TotalsRow>('Còn có thể cam kết', (t) => t.available),
  totalColumn<TotalsRow>('Tồn quỹ', (t) => t.balance),
];

/** Opening and closing balances of the period, side by side. */
export function PeriodTotals({ opening, closing }: { opening: FundTotals; closing: FundTotals }) {
  const rows: TotalsRow[] = [
    { key: 'opening', title: 'Đầu kỳ', ...opening },
    { key: 'closing', title: 'Cuối kỳ', ...closing },
  ];
  return (
    <Table<TotalsRow>
      rowKey="key"
      size="small"
      columns={totalsColumns}
      dataSource={rows}
      pagination={false}
      scroll={{ x: 'max-content' }}
    />
  );
}
