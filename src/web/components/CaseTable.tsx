import { Tag, type TableProps } from 'antd';
import { Link } from 'react-router';
import type { CaseRecord } from '../api/types';
import { date, money } from '../lib/format';
import { label, STATUS_COLORS, STATUS_NAMES } from '../lib/labels';
import { ListTable } from './ListTable';

export function StatusTag({ status }: { status: string }) {
  return <Tag color={STATUS_COLORS[status] ?? 'default'}>{label(STATUS_NAMES, status)}</Tag>;
}

const columns: TableProps<CaseRecord>['columns'] = [
  { title: 'Mã hồ sơ', dataIndex: 'code', render: (code: string, record) => <Link to={`/cases/${record.id}`}>{code}</Link> },
  { title: 'Đoàn viên', dataIndex: 'memberName' },
  { title: 'Số tiền đề nghị', dataIndex: 'requestedAmount', align: 'right', render: (amount: number) => money(amount) },
  { title: 'Trạng thái', dataIndex: 'status', render: (status: string) => <StatusTag status={status} /> },
  { title: 'Cập nhật', dataIndex: 'updatedAt', render: (at: string) => date(at), responsive: ['md'] },
];

/** Cases as a table with links to each case's page; paging is the caller's (server-side). */
export function CaseTable(props: Omit<TableProps<CaseRecord>, 'columns' | 'rowKey'>) {
  return <ListTable<CaseRecord> rowKey="id" columns={columns} {...props} />;
}
