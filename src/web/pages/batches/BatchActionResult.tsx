import { Alert, Button, Card, Flex, Table, Tag, Typography, type TableProps } from 'antd';
import { Link } from 'react-router';
import { openInNewTab } from '../../lib/download';
import { groupDigits, money } from '../../lib/format';
import { StatusTag } from '../../components/CaseTable';
import { READABLE_TAG } from '../../lib/tag-colors';
import type { ActionAnswer, CaseOutcome } from './batch-types';
import type { BatchActionDef } from './batch-actions';

const OUTCOMES: Record<CaseOutcome['outcome'], { text: string; color: string }> = {
  ok: { text: 'Đã thực hiện', color: READABLE_TAG.green },
  failed: { text: 'Không thực hiện được', color: 'red' },
  excluded: { text: 'Đã loại ra', color: 'default' },
  skipped: { text: 'Không ở bước này', color: 'default' },
};

/**
 * `given`: the reason the user gave a return or a rejection, shown beside each case it was applied to. The reason
 * (the server's refusal, the user's exclusion or the one given) sits under the outcome, as in the list payment's
 * table, and the status shows from `sm` up: code, member (wrapping) and outcome fit a 375 px phone without a
 * sideways scroll.
 */
const columnsOf = (given: string | undefined): TableProps<CaseOutcome>['columns'] => [
  {
    title: 'Mã hồ sơ',
    dataIndex: 'code',
    render: (code: string, record) => <Link to={`/cases/${record.caseId}`}>{code}</Link>,
  },
  { title: 'Đoàn viên', dataIndex: 'memberName' },
  {
    title: 'Kết quả',
    dataIndex: 'outcome',
    render: (outcome: CaseOutcome['outcome'], record) => {
      const why = record.problem?.detail ?? record.reason ?? (outcome === 'ok' ? given : undefined);
      return (
        <Flex vertical align="start" gap={2} style={{ maxWidth: 360 }}>
          <Tag color={OUTCOMES[outcome].color}>{OUTCOMES[outcome].text}</Tag>
          {why && <Typography.Text>{why}</Typography.Text>}
        </Flex>
      );
    },
  },
  {
    title: 'Trạng thái',
    dataIndex: 'status',
    render: (status: string) => <StatusTag status={status} />,
    responsive: ['sm'],
  },
];

/** What a batch action did to each case: done, refused with the server's reason, or left out with the user's. */
export function BatchActionResult({
  answer,
  def,
  reason,
  onClose,
}: {
  answer: ActionAnswer;
  def: BatchActionDef;
  reason?: string;
  onClose: () => void;
}) {
  const { counts, decision } = answer;
  const skipped = counts.skipped ? ` ${groupDigits(counts.skipped)} hồ sơ không ở bước này nên giữ nguyên.` : '';
  const summary = `${groupDigits(counts.ok)} hồ sơ đã thực hiện, ${groupDigits(counts.failed)} hồ sơ không thực hiện được, ${groupDigits(counts.excluded)} hồ sơ đã loại ra.${skipped}`;
  return (
    <Card
      title={`Kết quả: ${def.title}`}
      extra={<Button onClick={onClose}>Đóng kết quả</Button>}
      role="region"
      aria-label="Kết quả thao tác"
    >
      <Alert
        type={counts.failed ? 'warning' : 'success'}
        showIcon
        role="status"
        title={summary}
        style={{ marginBottom: 16 }}
      />
      {decision && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={`Đã ban hành Quyết định số ${decision.number}: ${groupDigits(decision.caseCount)} người, tổng ${money(decision.totalAmount)}.`}
          description={
            <Flex gap={8} wrap>
              <Button size="small" onClick={() => void openInNewTab(`/decisions/${decision.id}/pdf`)}>
                Mở PDF quyết định
              </Button>
              <Link to="/decisions">Xem danh sách quyết định</Link>
            </Flex>
          }
        />
      )}
      {answer.decisionProblem && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} title={answer.decisionProblem.detail} />
      )}
      <Table<CaseOutcome>
        rowKey="caseId"
        size="small"
        className="list-table"
        columns={columnsOf(reason)}
        dataSource={answer.results}
        pagination={answer.results.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
      />
    </Card>
  );
}
