import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, Input, InputNumber, Select, Typography, type TableColumnsType } from 'antd';
import { Link } from 'react-router';
import { useState } from 'react';
import { apiGet } from '../../api/client';
import { useSession } from '../../api/session';
import { PageTitle } from '../../components/PageTitle';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PagedTable } from '../../components/PagedTable';
import { money } from '../../lib/format';
import { label } from '../../lib/labels';
import { FundAdjustModal } from './FundAdjustModal';
import { FundCreateModal } from './FundCreateModal';
import { balanceOf, FUND_KIND_NAMES, type Fund } from './fund-types';

interface Filters {
  q?: string;
  year?: number;
  kind?: string;
  page: number;
  limit: number;
}

const KIND_OPTIONS = Object.entries(FUND_KIND_NAMES).map(([value, text]) => ({ value, label: text }));

function columns(canManage: boolean, onAdjust: (fund: Fund) => void): TableColumnsType<Fund> {
  const amount = (title: string, pick: (fund: Fund) => number, responsive?: ('md' | 'lg')[]) => ({
    title,
    key: title,
    align: 'right' as const,
    responsive,
    render: (_: unknown, fund: Fund) => money(pick(fund)),
  });
  return [
    {
      title: 'Mã nguồn',
      dataIndex: 'code',
      render: (code: string, fund) => (
        <Link to={`/funds/${fund.id}`} title={`Sổ chi tiết nguồn ${code}`}>
          {code}
        </Link>
      ),
    },
    {
      title: 'Tên nguồn',
      dataIndex: 'name',
      render: (name: string, fund) => (
        <Flex vertical>
          <span>{name}</span>
          <Typography.Text type="secondary">
            {label(FUND_KIND_NAMES, fund.kind)} · {fund.year}
          </Typography.Text>
        </Flex>
      ),
    },
    amount('Phân bổ', (f) => f.allocated),
    amount('Đã cam kết', (f) => f.committed, ['md']),
    amount('Đã chi', (f) => f.disbursed),
    amount('Còn có thể cam kết', (f) => f.available),
    amount('Tồn quỹ', balanceOf, ['lg']),
    ...(canManage
      ? [
          {
            title: 'Thao tác',
            key: 'actions',
            render: (_: unknown, fund: Fund) => (
              <Button size="small" onClick={() => onAdjust(fund)} aria-label={`Điều chỉnh ${fund.code}`}>
                Điều chỉnh
              </Button>
            ),
          },
        ]
      : []),
  ];
}

/** The province's funds with what each has, holds for cases, has paid and can still commit (SPEC §7). */
export default function FundsPage() {
  const { hasRole } = useSession();
  const canManage = hasRole('accountant', 'approver');
  const [filters, setFilters] = useState<Filters>({ page: 1, limit: 20 });
  const [creating, setCreating] = useState(false);
  const [adjusting, setAdjusting] = useState<Fund | null>(null);
  const query = useQuery({
    queryKey: ['funds', filters],
    queryFn: () => apiGet('/funds', { ...filters, sort: '-year' }),
    placeholderData: keepPreviousData,
  });
  const change = (patch: Partial<Filters>) => setFilters((current) => ({ ...current, ...patch, page: 1 }));

  return (
    <>
      <PageTitle
        extra={
          canManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              Tạo nguồn
            </Button>
          )
        }
      >
        Nguồn kinh phí
      </PageTitle>
      <Card>
        <Flex gap={8} wrap style={{ marginBottom: 16 }}>
          <Input.Search
            aria-label="Tìm theo mã hoặc tên nguồn"
            placeholder="Mã hoặc tên nguồn"
            allowClear
            onSearch={(q) => change({ q: q || undefined })}
            style={{ maxWidth: 280 }}
          />
          <InputNumber<number>
            aria-label="Năm"
            placeholder="Năm"
            min={2000}
            max={2100}
            precision={0}
            onChange={(year) => change({ year: year ?? undefined })}
            style={{ width: 110 }}
          />
          <Select
            aria-label="Loại nguồn"
            placeholder="Mọi loại nguồn"
            allowClear
            options={KIND_OPTIONS}
            onChange={(kind?: string) => change({ kind })}
            style={{ minWidth: 190 }}
          />
        </Flex>
        <ErrorAlert error={query.error} />
        <PagedTable<Fund>
          data={query.data}
          loading={query.isLoading || query.isPlaceholderData}
          columns={columns(canManage, setAdjusting)}
          pageSize={filters.limit}
          onPage={(page) => setFilters((current) => ({ ...current, page }))}
          emptyText="Chưa có nguồn kinh phí nào."
          unit="nguồn"
        />
      </Card>
      {creating && <FundCreateModal onClose={() => setCreating(false)} />}
      {adjusting && <FundAdjustModal fund={adjusting} onClose={() => setAdjusting(null)} />}
    </>
  );
}
