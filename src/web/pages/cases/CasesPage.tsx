import { PlusOutlined } from '@ant-design/icons';
import { useQuery, keepPreviousData } from '@tanstack/react-query';
import { Button, Card, Empty, Typography, type TableProps } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { Link, useNavigate } from 'react-router';
import { apiGet } from '../../api/client';
import { useSession } from '../../api/session';
import type { CaseListItem } from '../../api/types';
import { OrgName, ProgramName } from '../../components/EntityNames';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ListTable } from '../../components/ListTable';
import { PageTitle } from '../../components/PageTitle';
import { date, money } from '../../lib/format';
import { label, SUBTYPE_NAMES } from '../../lib/labels';
import { CaseFilters } from './CaseFilters';
import { StatusTag } from '../../components/CaseTable';
import { apiQuery, DEFAULT_SORT, hasFilters, PAGE_SIZES, useCaseListParams, type CaseListParams } from './listParams';

type SortOrder = 'ascend' | 'descend' | null;

function orderOf(params: CaseListParams, field: string): SortOrder {
  if (params.sort === field) return 'ascend';
  if (params.sort === `-${field}`) return 'descend';
  return null;
}

function columnsFor(params: CaseListParams): TableProps<CaseListItem>['columns'] {
  const sortable = (field: string) => ({
    key: field,
    sorter: true,
    sortOrder: orderOf(params, field),
    sortDirections: ['ascend', 'descend'] as SortOrder[],
  });
  return [
    {
      title: 'Mã hồ sơ',
      dataIndex: 'code',
      ...sortable('code'),
      render: (code: string, record) => <Link to={`/cases/${record.id}`}>{code}</Link>,
    },
    { title: 'Đoàn viên', dataIndex: 'memberName' },
    {
      title: 'Chương trình',
      dataIndex: 'programCode',
      responsive: ['md'],
      render: (code: string, record) => (
        <>
          <ProgramName code={code} />
          <br />
          <Typography.Text type="secondary">{label(SUBTYPE_NAMES, record.subtype)}</Typography.Text>
        </>
      ),
    },
    { title: 'Công đoàn', dataIndex: 'orgId', responsive: ['lg'], render: (orgId: string) => <OrgName id={orgId} /> },
    {
      title: 'Số tiền đề nghị',
      dataIndex: 'requestedAmount',
      align: 'right',
      ...sortable('requestedAmount'),
      render: (amount: number) => money(amount),
    },
    { title: 'Trạng thái', dataIndex: 'status', render: (status: string) => <StatusTag status={status} /> },
    {
      title: 'Ngày tạo',
      dataIndex: 'createdAt',
      responsive: ['sm'],
      ...sortable('createdAt'),
      render: (at: string) => date(at),
    },
    {
      title: 'Cập nhật',
      dataIndex: 'updatedAt',
      responsive: ['lg'],
      ...sortable('updatedAt'),
      render: (at: string) => date(at),
    },
  ];
}

/** Hồ sơ: every case in the user's subtree, filtered, sorted and paged by the server. */
export default function CasesPage() {
  const { hasRole } = useSession();
  const navigate = useNavigate();
  const { params, update, clear } = useCaseListParams();
  const query = apiQuery(params);
  const cases = useQuery({
    queryKey: ['cases', query],
    queryFn: () => apiGet('/cases', query),
    placeholderData: keepPreviousData,
  });
  const columns = columnsFor(params);

  const onTableChange: TableProps<CaseListItem>['onChange'] = (pagination, _filters, sorter, extra) => {
    if (extra.action === 'sort') {
      const { columnKey, order } = sorter as SorterResult<CaseListItem>;
      update({
        sort: order && columnKey ? `${order === 'descend' ? '-' : ''}${String(columnKey)}` : DEFAULT_SORT,
        page: 1,
      });
    } else {
      update({ page: pagination.current ?? 1, limit: pagination.pageSize ?? params.limit });
    }
  };

  return (
    <>
      <PageTitle
        extra={
          hasRole('grassroots_officer') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/cases/new')}>
              Tạo hồ sơ
            </Button>
          )
        }
      >
        Hồ sơ
      </PageTitle>
      <Card>
        <CaseFilters params={params} onChange={update} onClear={clear} />
        <ErrorAlert error={cases.error} />
        <ListTable<CaseListItem>
          rowKey="id"
          columns={columns}
          dataSource={cases.data?.items}
          loading={cases.isFetching}
          onChange={onTableChange}
          pagination={{
            current: params.page,
            pageSize: params.limit,
            total: cases.data?.total ?? 0,
            pageSizeOptions: PAGE_SIZES,
            showSizeChanger: true,
            showTotal: (total) => `Tổng ${total} hồ sơ`,
          }}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={hasFilters(params) ? 'Không có hồ sơ nào khớp bộ lọc' : 'Chưa có hồ sơ nào'}
              />
            ),
          }}
        />
      </Card>
    </>
  );
}
