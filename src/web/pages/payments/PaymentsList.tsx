import { DownloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, Select } from 'antd';
import { useState } from 'react';
import { apiGet } from '../../api/client';
import { useMe, useSession } from '../../api/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { download } from '../../lib/download';
import { PagedTable } from '../../components/PagedTable';
import { PeriodPicker, type Period } from '../funds/PeriodPicker';
import { paymentColumns, type PaymentAction } from './PaymentColumns';
import { ReceiptsModal } from './ReceiptsModal';
import { ReverseModal } from './ReverseModal';
import { VietQrModal } from './VietQrModal';
import { ENTRY_STATUS_NAMES, METHOD_NAMES, type Disbursement } from './payment-types';

interface Filters {
  from?: string;
  to?: string;
  fundId?: string;
  method?: string;
  status?: string;
}

const optionsOf = (names: Record<string, string>) =>
  Object.entries(names).map(([value, text]) => ({ value, label: text }));

/** The bank's transfer list (CSV or XLSX) for the same period and fund as the list shows. */
function TransferListButtons({ filters }: { filters: Filters }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const save = (format: 'xlsx' | 'csv') => {
    setBusy(format);
    setError(null);
    download(
      '/disbursements/transfer-list',
      { format, from: filters.from, to: filters.to, fundId: filters.fundId },
      `danh-sach-chuyen-khoan.${format}`,
    )
      .catch(setError)
      .finally(() => setBusy(null));
  };
  return (
    <>
      <Flex gap={8} wrap>
        <Button icon={<DownloadOutlined />} loading={busy === 'xlsx'} onClick={() => save('xlsx')}>
          Danh sách chuyển khoản (XLSX)
        </Button>
        <Button icon={<DownloadOutlined />} loading={busy === 'csv'} onClick={() => save('csv')}>
          Danh sách chuyển khoản (CSV)
        </Button>
      </Flex>
      <ErrorAlert error={error} />
    </>
  );
}

function FilterBar({ period, onChange }: { period: Period; onChange: (patch: Filters) => void }) {
  const funds = useQuery({
    queryKey: ['funds', { limit: 100 }],
    queryFn: () => apiGet('/funds', { limit: 100, sort: '-year' }),
  });
  return (
    <Flex gap={8} wrap>
      <PeriodPicker value={period} onChange={onChange} labels={['Chi từ ngày', 'đến ngày']} />
      <Select
        aria-label="Nguồn kinh phí"
        placeholder="Mọi nguồn"
        allowClear
        style={{ minWidth: 180 }}
        loading={funds.isLoading}
        options={funds.data?.items.map((fund) => ({ value: fund.id, label: `${fund.code} · ${fund.name}` }))}
        onChange={(fundId?: string) => onChange({ fundId })}
      />
      <Select
        aria-label="Hình thức chi"
        placeholder="Mọi hình thức"
        allowClear
        style={{ minWidth: 150 }}
        options={optionsOf(METHOD_NAMES)}
        onChange={(method?: string) => onChange({ method })}
      />
      <Select
        aria-label="Trạng thái khoản chi"
        placeholder="Mọi trạng thái"
        allowClear
        style={{ minWidth: 150 }}
        options={optionsOf(ENTRY_STATUS_NAMES)}
        onChange={(status?: string) => onChange({ status })}
      />
    </Flex>
  );
}

/** Payments and reversal entries in scope, with their receipts, VietQR and reversal (SPEC §7). */
export function PaymentsList() {
  const me = useMe();
  const accountant = useSession().hasRole('accountant');
  const [filters, setFilters] = useState<Filters>({});
  const [paging, setPaging] = useState({ page: 1, limit: 20 });
  const [open, setOpen] = useState<{ action: PaymentAction; id: string } | null>(null);
  const params = { ...filters, ...paging, sort: '-paidAt' };
  const query = useQuery({
    queryKey: ['disbursements', params],
    queryFn: () => apiGet('/disbursements', params),
    placeholderData: keepPreviousData,
  });
  // The open entry is read from the list, so that a new receipt shows as soon as the list is fetched again.
  const selected = (action: PaymentAction) =>
    open?.action === action ? (query.data?.items.find((item) => item.id === open.id) ?? null) : null;
  const close = () => setOpen(null);
  const [receipts, vietQr, reversing] = (['receipts', 'vietqr', 'reverse'] as const).map(selected);

  return (
    <Card title="Các khoản chi">
      <Flex vertical gap={8} style={{ marginBottom: 16 }}>
        <FilterBar
          period={{ from: filters.from, to: filters.to }}
          onChange={(patch) => {
            setFilters((current) => ({ ...current, ...patch }));
            setPaging((current) => ({ ...current, page: 1 }));
          }}
        />
        {accountant && <TransferListButtons filters={filters} />}
      </Flex>
      <ErrorAlert error={query.error} />
      <PagedTable<Disbursement>
        data={query.data}
        loading={query.isLoading || query.isPlaceholderData}
        columns={paymentColumns({ accountant, userId: me.id }, (action, entry) => setOpen({ action, id: entry.id }))}
        pageSize={paging.limit}
        onPage={(page) => setPaging((current) => ({ ...current, page }))}
        emptyText="Chưa có khoản chi nào."
        unit="khoản"
      />
      {receipts && <ReceiptsModal payment={receipts} canUpload={accountant} onClose={close} />}
      {vietQr && <VietQrModal payment={vietQr} onClose={close} />}
      {reversing && <ReverseModal payment={reversing} onClose={close} />}
    </Card>
  );
}
