import { Tag, type TableProps } from 'antd';
import { Link } from 'react-router';
import type { CaseListItem } from '../api/types';
import { date, money } from '../lib/format';
import { label, STATUS_COLORS, STATUS_NAMES } from '../lib/labels';
import { ListTable } from './ListTable';

export function StatusTag({ status }: { status: string }) {
  return <Tag color={STATUS_COLORS[status] ?? 'default'}>{label(STATUS_NAMES, status)}</Tag>;
}

/** The amount a list of cases shows: what the next step acts on (by default the requested amount). */
export interface CaseAmount {
  title: string;
  of: (c: CaseListItem) => number;
}

const REQUESTED: CaseAmount = { title: 'Số tiền đề nghị', of: (c) => c.requestedAmount };

function columnsWith(amount: CaseAmount): TableProps<CaseListItem>['columns'] {
  return [
    {
      title: 'Mã hồ sơ',
      dataIndex: 'code',
      render: (code: string, record) => <Link to={`/cases/${record.id}`}>{code}</Link>,
    },
    { title: 'Đoàn viên', dataIndex: 'memberName' },
    { title: amount.title, key: 'amount', align: 'right', render: (_: unknown, record) => money(amount.of(record)) },
    { title: 'Trạng thái', dataIndex: 'status', render: (status: string) => <StatusTag status={status} /> },
    { title: 'Cập nhật', dataIndex: 'updatedAt', render: (at: string) => date(at), responsive: ['md'] },
  ];
}

/** Cases as a table with links to each case's page; paging is the caller's (server-side). */
export function CaseTable({
  amount = REQUESTED,
  ...props
}: Omit<TableProps<CaseListItem>, 'columns' | 'rowKey'> & { amount?: CaseAmount }) {
  return <ListTable<CaseListItem> rowKey="id" columns={columnsWith(amount)} {...props} />;
}
