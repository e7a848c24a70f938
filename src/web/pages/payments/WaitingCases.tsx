import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { TeamOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Tag, type TableColumnsType } from 'antd';
import { Link } from 'react-router';
import { useState } from 'react';
import { apiGet } from '../../api/client';
import type { CaseListItem } from '../../api/types';
import { money } from '../../lib/format';
import { label, STATUS_NAMES } from '../../lib/labels';
import { nextTranche } from '../../../core/shared/payment-plan';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PagedTable } from '../../components/PagedTable';
import { READABLE_TAG } from '../../lib/tag-colors';
import { BatchFilter } from './BatchFilter';

/**
 * The next tranche with its name and what is left of it. Before the first payment the case carries no plan yet:
 * the plan the payment would follow is read from GET /cases/:id/disbursements (the payment form's cache entry).
 */
function NextTranche({ record }: { record: CaseListItem }) {
  const carried = record.tranches?.length ? record.tranches : undefined;
  const plan = useQuery({
    queryKey: ['case-payments', record.id],
    queryFn: () => apiGet(`/cases/${record.id}/disbursements`),
    enabled: !carried,
    staleTime: 60_000,
  });
  const tranches = carried ?? plan.data?.tranches;
  if (!tranches) return <>…</>;
  const tranche = nextTranche(tranches);
  return <>{tranche ? `Đợt ${tranche.no}: ${tranche.label} · ${money(tranche.amount - tranche.paid)}` : '—'}</>;
}

function columns(canPay: boolean, onPay: (record: CaseListItem) => void): TableColumnsType<CaseListItem> {
  return [
    {
      title: 'Mã hồ sơ',
      dataIndex: 'code',
      render: (code: string, record) => <Link to={`/cases/${record.id}`}>{code}</Link>,
    },
    { title: 'Đoàn viên', dataIndex: 'memberName' },
    {
      title: 'Trạng thái',
      dataIndex: 'status',
      render: (status: string) => (
        <Tag color={status === 'approved' ? READABLE_TAG.green : READABLE_TAG.lime}>{label(STATUS_NAMES, status)}</Tag>
      ),
    },
    {
      title: 'Số phê duyệt',
      dataIndex: 'approvedAmount',
      align: 'right',
      render: (amount: number | null) => money(amount),
    },
    {
      title: 'Đã chi',
      dataIndex: 'disbursedAmount',
      align: 'right',
      render: (amount: number) => money(amount),
      responsive: ['md'],
    },
    { title: 'Đợt tiếp theo', key: 'next', render: (_: unknown, record) => <NextTranche record={record} /> },
    ...(canPay
      ? [
          {
            title: 'Thao tác',
            key: 'actions',
            render: (_: unknown, record: CaseListItem) => (
              <Button
                type="primary"
                size="small"
                onClick={() => onPay(record)}
                aria-label={`Chi trả hồ sơ ${record.code}`}
              >
                Chi trả
              </Button>
            ),
          },
        ]
      : []),
  ];
}

interface Props {
  canPay: boolean;
  onPay: (record: CaseListItem) => void;
  /** The list (batch) the cases are narrowed to, if any. */
  batchId: string | undefined;
  onBatch: (batchId: string | undefined) => void;
  onPayBatch: () => void;
}

/** Narrowing to one list, and for accountants the payment of all of it at once. */
function BatchBar({ canPay, batchId, onBatch, onPayBatch, waiting }: Omit<Props, 'onPay'> & { waiting: number }) {
  return (
    <Flex gap={8} wrap align="end" style={{ marginBottom: 16 }}>
      <Flex vertical gap={4} style={{ flex: '1 1 260px', minWidth: 0, maxWidth: 560 }}>
        <label htmlFor="waiting-batch">Lọc theo danh sách</label>
        <BatchFilter id="waiting-batch" value={batchId} onChange={onBatch} />
      </Flex>
      {canPay && batchId && (
        <Button type="primary" icon={<TeamOutlined />} disabled={waiting === 0} onClick={onPayBatch}>
          Chi trả cả danh sách
        </Button>
      )}
    </Flex>
  );
}

/** Approved and partly paid cases in the user's scope: what waits for payment (SPEC §12), oldest first. */
export function WaitingCases({ canPay, onPay, batchId, onBatch, onPayBatch }: Props) {
  const [paging, setPaging] = useState({ page: 1, limit: 10 });
  const params = { status: 'approved,partially_disbursed', sort: 'updatedAt', batchId, ...paging };
  const query = useQuery({
    queryKey: ['cases', params],
    queryFn: () => apiGet('/cases', params),
    placeholderData: keepPreviousData,
  });
  const chooseBatch = (id: string | undefined) => {
    setPaging((current) => ({ ...current, page: 1 }));
    onBatch(id);
  };
  return (
    <Card title="Hồ sơ chờ chi trả">
      <BatchBar
        canPay={canPay}
        batchId={batchId}
        onBatch={chooseBatch}
        onPayBatch={onPayBatch}
        waiting={query.isPlaceholderData ? 0 : (query.data?.total ?? 0)}
      />
      <ErrorAlert error={query.error} />
      <PagedTable<CaseListItem>
        data={query.data}
        loading={query.isLoading || query.isPlaceholderData}
        columns={columns(canPay, onPay)}
        pageSize={paging.limit}
        onPage={(page) => setPaging((current) => ({ ...current, page }))}
        emptyText={batchId ? 'Danh sách này không còn hồ sơ nào chờ chi trả.' : 'Không có hồ sơ nào chờ chi trả.'}
        unit="hồ sơ"
      />
    </Card>
  );
}
