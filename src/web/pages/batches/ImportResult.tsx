import { Alert, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { groupDigits } from '../../lib/format';
import type { BatchCase, ImportAnswer } from './batch-types';
import { batchCaseColumns } from './BatchCasesTable';
import { RejectedRowsTable } from './RejectedRowsTable';
import { useBatch } from './useBatch';

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

/** What an upload made: the counts, the new draft cases (links) and every rejected row with its number and reason. */
export function ImportResult({ answer }: { answer: ImportAnswer }) {
  const batch = useBatch(answer.batch.id);
  const { counts } = answer;
  const created = new Set(answer.caseIds);
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
        Hồ sơ đã tạo
      </Typography.Title>
      <ErrorAlert error={batch.error} />
      <Table<BatchCase>
        rowKey="id"
        size="small"
        className="list-table"
        columns={importedColumns}
        loading={batch.isLoading}
        dataSource={batch.data?.cases.filter((c) => created.has(c.id))}
        pagination={counts.created > 20 ? { pageSize: 20, showSizeChanger: false } : false}
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
