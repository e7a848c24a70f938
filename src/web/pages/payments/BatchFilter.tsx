import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { apiGet } from '../../api/client';
import { OrgName } from '../../components/EntityNames';
import { date } from '../../lib/format';
import type { BatchSummary } from '../batches/batch-types';

const WAITING = ['approved', 'partially_disbursed'];
/** The lists in scope that still hold a case to pay, newest first (however many lists the province has imported). */
const QUERY = { caseStatus: WAITING.join(','), limit: 100, sort: '-createdAt' };

/** The list's cases waiting for payment (GET /batches counts each list's cases by status). */
function waitingCount(batch: BatchSummary): number {
  return WAITING.reduce((sum, status) => sum + (batch.statusCounts[status] ?? 0), 0);
}

function optionLabel(batch: BatchSummary) {
  return (
    <span>
      {batch.fileName} · {waitingCount(batch)} hồ sơ chờ chi · <OrgName id={batch.orgId} /> · {date(batch.createdAt)}
    </span>
  );
}

/**
 * A select of the imported lists (danh sách) in the user's scope that still have cases to pay (the server picks
 * them), each named by file, cases waiting, union and day of import; the chosen one stays.
 */
export function BatchFilter({
  id,
  value,
  onChange,
}: {
  id: string;
  value: string | undefined;
  onChange: (batchId: string | undefined) => void;
}) {
  const batches = useQuery({
    queryKey: ['batches', QUERY],
    queryFn: () => apiGet('/batches', QUERY),
  });
  const offered = (batches.data?.items ?? []).map((batch) => ({ value: batch.id, label: optionLabel(batch) }));
  // The chosen list stays chosen once it has been paid in full and left the lists with cases waiting.
  if (value && !offered.some((option) => option.value === value))
    offered.unshift({ value, label: <span>Danh sách đã chọn — không còn hồ sơ chờ chi</span> });
  return (
    <Select
      id={id}
      allowClear
      placeholder="Mọi danh sách"
      style={{ width: '100%' }}
      loading={batches.isLoading}
      value={value}
      onChange={(batchId?: string) => onChange(batchId)}
      notFoundContent={
        batches.isError ? 'Không tải được các danh sách.' : 'Không có danh sách nào còn hồ sơ chờ chi trả.'
      }
      options={batches.data ? offered : undefined}
    />
  );
}
