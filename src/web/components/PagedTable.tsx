import { Empty, type TableColumnsType } from 'antd';
import type { Page } from '../api/types';
import { ListTable } from './ListTable';

interface Props<T> {
  data: Page<T> | undefined;
  loading: boolean;
  columns: TableColumnsType<T>;
  pageSize: number;
  /** What the total counts, after the number: `12 đoàn viên`. */
  unit: string;
  emptyText: string;
  onPage: (page: number) => void;
}

/** A page of a list the server pages (its page and total): a table on a laptop, cards on a phone. */
export function PagedTable<T extends { id: string }>({
  data,
  loading,
  columns,
  pageSize,
  unit,
  emptyText,
  onPage,
}: Props<T>) {
  return (
    <ListTable<T>
      rowKey="id"
      columns={columns}
      dataSource={data?.items}
      loading={loading}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} /> }}
      pagination={{
        current: data?.page ?? 1,
        pageSize,
        total: data?.total ?? 0,
        showSizeChanger: false,
        showTotal: (total) => `${total} ${unit}`,
        onChange: onPage,
      }}
    />
  );
}
