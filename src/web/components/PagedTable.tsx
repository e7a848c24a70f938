import { Empty, Table, type TableColumnsType } from 'antd';
import type { Page } from '../api/types';

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

/** A page of a list the server pages (its page and total), scrolling sideways on a phone. */
export function PagedTable<T extends { id: string }>({ data, loading, columns, pageSize, unit, emptyText, onPage }: Props<T>) {
  return (
    <Table<T>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={data?.items}
      loading={loading}
      scroll={{ x: 'max-content' }}
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
