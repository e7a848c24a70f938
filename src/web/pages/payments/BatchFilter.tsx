import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { apiGet } from '../../api/client';
import type { Page } from '../../api/types';
import { OrgName } from '../../components/EntityNames';
import { date } from '../../lib/format';
import type { BatchSummary } from '../batches/batch-types';

/** The newest lists in scope, most recent first: the ones an accountant is paying in a Tết or relief season. */
const QUERY = { limit: 100, sort: '-createdAt' };
const WAITING = ['approved', 'partially_disbursed'];

/** A list as GET /batches answers it, with how many of its cases are in each status when the server says so. */
type ListedBatch = BatchSummary & { statusCounts?: Record<string, number> };

/** The list's cases waiting for payment, or null when the answer carries no counts. */
function waitingCount(batch: ListedBatch): number | null {
  return batch.statusCounts ? WAITING.reduce((sum, status) => sum + (batch.statusCounts?.[status] ?? 0), 0) : null;
}

function optionLabel(batch: ListedBatch) {
  const waiting = waitingCount(batch);
  return (
    <span>
      {batch.fileName} · {waiting === null ? `${batch.createdCount} hồ sơ` : `${waiting} hồ sơ chờ chi`} · <OrgName id={batch.orgId} /> · {date(batch.createdAt)}
    </span>
  );
}

/**
 * A select of the imported lists (danh sách) in the user's scope that still have cases to pay (all lists
 * when the server gives no counts), each named by file, cases waiting, union and day of import; the chosen one stays.
 */
export function BatchFilter({ id, value, onChange }: { id: string; value: string | undefined; onChange: (batchId: string | undefined) => void }) {
  const batches = useQuery({ queryKey: ['batches', QUERY], queryFn: () => apiGet<Page<ListedBatch>>('/batches', QUERY) });
  const offered = batches.data?.items.filter((batch) => batch.id === value || waitingCount(batch) !== 0);
  return (
    <Select
      id={id}
      allowClear
      placeholder="Mọi danh sách"
      style={{ width: '100%' }}
      loading={batches.isLoading}
      value={value}
      onChange={(batchId?: string) => onChange(batchId)}
      notFoundContent={batches.isError ? 'Không tải được các danh sách.' : 'Không có danh sách nào còn hồ sơ chờ chi trả.'}
      options={offered?.map((batch) => ({ value: batch.id, label: optionLabel(batch) }))}
    />
  );
}
