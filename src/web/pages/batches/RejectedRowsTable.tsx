import { Table, type TableProps } from 'antd';
import { mask } from '../../../core/shared/masking';
import type { RejectedRow } from './batch-types';

const columns: TableProps<RejectedRow>['columns'] = [
  { title: 'Dòng', dataIndex: 'row', align: 'right', width: 72 },
  { title: 'Họ và tên', dataIndex: 'fullName', render: (name: string) => name || '—' },
  // The API answers it masked; masking again changes nothing and keeps a full CCCD off the screen whatever answered.
  { title: 'Số CCCD', dataIndex: 'citizenId', render: (id: string) => mask(id) || '—', responsive: ['sm'] },
  {
    title: 'Lý do',
    dataIndex: 'reasons',
    render: (reasons: string[]) =>
      reasons.length === 1 ? (
        reasons[0]
      ) : (
        <ul style={{ margin: 0, paddingLeft: 18 }}>
          {reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ),
  },
];

/** Every row of the file that did not become a case, by its row number in the file (the header is row 1). */
export function RejectedRowsTable({ rows }: { rows: RejectedRow[] }) {
  return (
    <Table<RejectedRow>
      rowKey="row"
      size="small"
      columns={columns}
      dataSource={rows}
      pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
      locale={{ emptyText: 'Không có dòng nào bị loại.' }}
    />
  );
}
