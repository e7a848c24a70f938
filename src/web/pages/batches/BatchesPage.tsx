import { useQuery } from '@tanstack/react-query';
import { Card, Flex, Form, Select, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { Link } from 'react-router';
import { apiGet } from '../../api/client';
import { useSession } from '../../api/session';
import { CampaignName, OrgName, ProgramName, usePrograms } from '../../components/EntityNames';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PagedTable } from '../../components/PagedTable';
import { PageTitle } from '../../components/PageTitle';
import { pageFrom, useUrlParams } from '../../components/useUrlParams';
import { date } from '../../lib/format';
import { label, SUBTYPE_NAMES } from '../../lib/labels';
import { READABLE_TAG } from '../../lib/tag-colors';
import type { BatchSummary } from './batch-types';
import { ImportPanel } from './ImportPanel';
import { StatusCounts } from './BatchSummary';

const columns: TableColumnsType<BatchSummary> = [
  {
    title: 'Tệp danh sách',
    dataIndex: 'fileName',
    render: (name: string, b) => <Link to={`/batches/${b.id}`}>{name}</Link>,
  },
  {
    title: 'Chương trình',
    dataIndex: 'programCode',
    render: (code: string, b) => (
      <Flex vertical>
        <ProgramName code={code} />
        <Typography.Text type="secondary">{label(SUBTYPE_NAMES, b.subtype)}</Typography.Text>
      </Flex>
    ),
  },
  {
    title: 'Đợt',
    dataIndex: 'campaignId',
    render: (id: string | null) => <CampaignName id={id} />,
    responsive: ['md'],
  },
  { title: 'Công đoàn cơ sở', dataIndex: 'orgId', render: (id: string) => <OrgName id={id} />, responsive: ['lg'] },
  {
    title: 'Hồ sơ',
    dataIndex: 'createdCount',
    render: (count: number, b) => (
      <Flex vertical align="start" gap={2}>
        <span>
          {count} hồ sơ / {b.rowCount} dòng
        </span>
        {b.rejectedCount > 0 && <Tag color={READABLE_TAG.gold}>{b.rejectedCount} dòng bị loại</Tag>}
        {b.status === 'incomplete' && <Tag color={READABLE_TAG.red}>Nhập dở: đọc {b.rowsRead} dòng</Tag>}
        <StatusCounts counts={b.statusCounts} />
      </Flex>
    ),
  },
  {
    title: 'Nhập ngày',
    dataIndex: 'createdAt',
    render: (at: string, b) => (
      <Flex vertical>
        <span>{date(at)}</span>
        <Typography.Text type="secondary">{b.createdBy.name}</Typography.Text>
      </Flex>
    ),
  },
];

const PAGE_SIZE = 20;

/** Danh sách: the lists in the user's scope, and for a grassroots officer the import of a new one. */
export default function BatchesPage() {
  const { hasRole } = useSession();
  const [params, update] = useUrlParams();
  const page = pageFrom(params);
  const programCode = params.get('programCode') ?? undefined;
  const query = { page, limit: PAGE_SIZE, programCode };
  const batches = useQuery({
    queryKey: ['batches', query],
    queryFn: () => apiGet('/batches', query),
  });
  const programs = usePrograms();

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <PageTitle>Danh sách</PageTitle>
      {hasRole('grassroots_officer') && <ImportPanel />}
      <Card title="Các danh sách đã nhập">
        <Form layout="vertical" style={{ maxWidth: 320 }}>
          <Form.Item label="Lọc theo chương trình" htmlFor="batches-program">
            <Select
              id="batches-program"
              allowClear
              placeholder="Tất cả"
              value={programCode}
              onChange={(value?: string) => update({ programCode: value, page: undefined })}
              options={(programs.data ?? []).map((p) => ({ value: p.code, label: p.name }))}
            />
          </Form.Item>
        </Form>
        <ErrorAlert error={batches.error} />
        <PagedTable<BatchSummary>
          data={batches.data}
          loading={batches.isLoading}
          columns={columns}
          pageSize={PAGE_SIZE}
          unit="danh sách"
          emptyText="Chưa có danh sách nào."
          onPage={(next) => update({ page: next > 1 ? String(next) : undefined })}
        />
      </Card>
    </Space>
  );
}
