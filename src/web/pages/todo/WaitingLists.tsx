import { useQueries, useQuery } from '@tanstack/react-query';
import { Typography, type TableColumnsType } from 'antd';
import { Link } from 'react-router';
import { apiGet } from '../../api/client';
import { ListTable } from '../../components/ListTable';
import { money } from '../../lib/format';
import { listName } from '../batches/list-name';
import { actedAmountTitle, actedTotal } from './acted-amount';

export interface WaitingList {
  id: string;
  fileName: string;
  /** Its cases waiting at this step. */
  count: number;
  /** What the step acts on for them, once the list's cases are read. */
  total: number | undefined;
}

/** Lists (batches) still holding cases at `status`, each with how many and the amount the next step acts on. */
export function useWaitingLists(status: string, enabled: boolean) {
  const lists = useQuery({
    queryKey: ['batches', { caseStatus: status }],
    queryFn: () => apiGet('/batches', { caseStatus: status, limit: 20 }),
    enabled,
  });
  const items = lists.data?.items ?? [];
  const details = useQueries({
    queries: items.map((batch) => ({
      queryKey: ['batches', batch.id],
      // Without its cases: the sums by status are enough, and a list may hold tens of thousands of cases.
      queryFn: () => apiGet(`/batches/${batch.id}`, { cases: 'none' }),
    })),
  });
  const waiting: WaitingList[] = items.map((batch, i) => ({
    id: batch.id,
    fileName: batch.fileName,
    count: batch.statusCounts[status] ?? 0,
    total: details[i]?.data ? actedTotal(status, details[i].data.byStatus[status] ?? {}) : undefined,
  }));
  return { waiting, loading: lists.isLoading, error: lists.error };
}

/** The waiting lists as one row each, with a link to the list under Danh sách where it is acted on whole. */
export function WaitingListsTable({ status, waiting }: { status: string; waiting: WaitingList[] }) {
  const columns: TableColumnsType<WaitingList> = [
    {
      title: 'Danh sách',
      dataIndex: 'fileName',
      render: (name: string, list) => <Link to={`/batches/${list.id}`}>{listName(name)}</Link>,
    },
    { title: 'Số hồ sơ chờ', dataIndex: 'count', align: 'right' },
    {
      title: actedAmountTitle(status),
      dataIndex: 'total',
      align: 'right',
      render: (total: number | undefined) => (total === undefined ? '…' : money(total)),
    },
    {
      title: 'Thao tác',
      key: 'actions',
      render: (_: unknown, list) => (
        <Link to={`/batches/${list.id}`} aria-label={`Mở ${listName(list.fileName)}`}>
          Mở danh sách
        </Link>
      ),
    },
  ];
  return (
    <>
      <Typography.Text type="secondary">Các hồ sơ này được xử lý cả danh sách một lần ở mục Danh sách.</Typography.Text>
      <ListTable<WaitingList>
        rowKey="id"
        columns={columns}
        dataSource={waiting}
        pagination={false}
        style={{ marginTop: 8 }}
      />
    </>
  );
}
