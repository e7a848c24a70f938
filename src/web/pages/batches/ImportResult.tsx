import { Alert, Table, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { groupDigits } from '../../lib/format';
import type { BatchCase, ImportAnswer } from './batch-types';
import { batchCaseColumns } from './BatchCasesTable';
import { RejectedRowsTable } from './RejectedRowsTable';
import { useBatchCases } from './useBatch';

/**
 * The new drafts as a phone can read them: every one is a draft, so their status is shown from `sm` up only, and
 * names and headings wrap (`list-table`) while the amounts stay whole: code, member and amount fit a 375 px card.
 */
const importedColumns = batchCaseColumns.map((column) =>
  'dataIndex' in column && column.dataIndex === 'status'
    ? { ...column, responsive: ['sm' as const] }
    : 'dataIndex' in column && column.dataIndex === 'requestedAmount'
      ? { ...column, onCell: () => ({ className: 'list-whole' }) }
      : column,
);

const IMPORT_PAGE_SIZE = 20;

/**
 * What an upload made: the counts, the list's draft cases (links, a page at a time from the server) and every
 * rejected row with its number and reason. A list finished by a second upload (its import had stopped) shows
 * all its cases, those of the first upload too.
 */
export function ImportResult({ answer }: { answer: ImportAnswer }) {
  const [page, setPage] = useState(1);
  const cases = useBatchCases(answer.batch.id, page, IMPORT_PAGE_SIZE);
  const { counts } = answer;
  const total = cases.data?.total ?? counts.created;
  return (
    <section aria-label="Kết quả nhập danh sách" style={{ marginTop: 16 }}>
      <Alert
        type={counts.rejected ? 'warning' : 'success'}
        showIcon
        role="status"
        title={`Đã tạo ${groupDigits(counts.created)} hồ sơ nháp từ ${groupDigits(counts.rows)} dòng${counts.rejected ? `; ${groupDigits(counts.rejected)} dòng bị loại` : ''}.`}
        description={<Link to={`/batches/${answer.batch.id}`}>Mở danh sách để gửi lên cấp trên</Link>}
        style={{ marginBottom: 16 }}
      />
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {total === counts.created ? 'Hồ sơ đã tạo' : 'Hồ sơ trong danh sách'}
      </Typography.Title>
      <ErrorAlert error={cases.error} />
      <Table<BatchCase>
        rowKey="id"
        size="small"
        className="list-table"
        columns={importedColumns}
        loading={cases.isFetching}
        dataSource={cases.data?.items}
        pagination={
          total > IMPORT_PAGE_SIZE
            ? { current: page, pageSize: IMPORT_PAGE_SIZE, total, showSizeChanger: false, onChange: setPage }
            : false
        }
      />
      {answer.rejectedRows.length > 0 && (
        <>
          <Typography.Title level={2} style={{ fontSize: 18, marginTop: 16 }}>
            Dòng bị loại
          </Typography.Title>
          <RejectedRowsTable rows={answer.rejectedRows} />
        </>
      )}
    </section>
  );
}
