import { Alert, Card, Descriptions, Flex, Table, Tag, type DescriptionsProps, type TableProps } from 'antd';
import { CampaignName, OrgName, ProgramName } from '../../components/EntityNames';
import { dateTime, groupDigits, money } from '../../lib/format';
import { ACTION_NAMES, label, SUBTYPE_NAMES } from '../../lib/labels';
import { StatusTag } from '../../components/CaseTable';
import { READABLE_TAG } from '../../lib/tag-colors';
import type { BatchActionRecord, BatchDetail } from './batch-types';

/** How many of a list's cases are in each status, as tags with their counts. */
export function StatusCounts({ counts }: { counts: Record<string, number> }) {
  return (
    <Flex gap={4} wrap>
      {Object.entries(counts).map(([status, count]) => (
        <span key={status}>
          <StatusTag status={status} />
          {count}
        </span>
      ))}
    </Flex>
  );
}

/** The list at a glance: where it came from, what it holds and where its cases stand. */
export function BatchSummary({ batch }: { batch: BatchDetail }) {
  const items: DescriptionsProps['items'] = [
    { key: 'program', label: 'Chương trình', children: <ProgramName code={batch.programCode} /> },
    { key: 'subtype', label: 'Loại hỗ trợ', children: label(SUBTYPE_NAMES, batch.subtype) },
    { key: 'campaign', label: 'Đợt hỗ trợ', children: <CampaignName id={batch.campaignId} /> },
    { key: 'org', label: 'Công đoàn cơ sở', children: <OrgName id={batch.orgId} /> },
    { key: 'by', label: 'Người nhập', children: `${batch.createdBy.name}, ${dateTime(batch.createdAt)}` },
    {
      key: 'rows',
      label: 'Tệp',
      children: `${batch.fileName}: ${batch.rowCount} dòng, ${batch.createdCount} hồ sơ, ${batch.rejectedCount} dòng bị loại`,
    },
    {
      key: 'statuses',
      label: 'Trạng thái hồ sơ',
      span: 'filled',
      children: <StatusCounts counts={batch.statusCounts} />,
    },
    { key: 'requested', label: 'Tổng đề nghị', children: money(batch.totals.requested) },
    { key: 'approved', label: 'Tổng phê duyệt', children: money(batch.totals.approved) },
    { key: 'disbursed', label: 'Tổng đã chi', children: money(batch.totals.disbursed) },
  ];
  return (
    <Card>
      {batch.status === 'incomplete' && <StoppedImport batch={batch} />}
      <Descriptions items={items} column={{ xs: 1, md: 2, xl: 3 }} size="small" />
    </Card>
  );
}

/** An import that stopped half-way (docs/jobs.md): why, how far it came, and how to finish it. */
function StoppedImport({ batch }: { batch: BatchDetail }) {
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 16 }}
      title="Danh sách mới nhập được một phần"
      description={
        <>
          Việc nhập dừng sau {groupDigits(batch.rowsRead)} trên {groupDigits(batch.rowCount)} dòng của tệp
          {batch.importError ? `: ${batch.importError.detail}` : '.'} {groupDigits(batch.createdCount)} hồ sơ nháp đã
          tạo là hồ sơ của danh sách này. Để nhập tiếp, tải lên lại đúng tệp “{batch.fileName}” ở mục Danh sách (cùng
          chương trình và đợt): các dòng đã thành hồ sơ không bị tạo lại.
        </>
      }
    />
  );
}

const historyColumns: TableProps<BatchActionRecord>['columns'] = [
  { title: 'Thao tác', dataIndex: 'action', render: (action: string) => label(ACTION_NAMES, action) },
  { title: 'Người thực hiện', dataIndex: ['by', 'name'] },
  { title: 'Lúc', dataIndex: 'at', render: (at: string) => dateTime(at) },
  {
    title: 'Kết quả',
    key: 'counts',
    render: (_: unknown, a) => (
      <Flex gap={4} wrap>
        <Tag color={READABLE_TAG.green}>{a.ok} đã thực hiện</Tag>
        {a.failed > 0 && <Tag color={READABLE_TAG.red}>{a.failed} không thực hiện được</Tag>}
        {a.excluded > 0 && <Tag>{a.excluded} loại ra</Tag>}
        {a.skipped > 0 && <Tag>{a.skipped} không ở bước này</Tag>}
      </Flex>
    ),
  },
];

/** Every action taken on the list as a whole, oldest first. */
export function BatchHistory({ actions }: { actions: BatchActionRecord[] }) {
  return (
    <Card title="Các lần thao tác với danh sách">
      <Table<BatchActionRecord>
        rowKey={(a) => `${a.action}-${a.at}`}
        size="small"
        columns={historyColumns}
        dataSource={actions}
        pagination={false}
        scroll={{ x: 'max-content' }}
      />
    </Card>
  );
}
