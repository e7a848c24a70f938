import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Flex, Popconfirm, Progress, Typography } from 'antd';
import { apiGet, apiSend } from '../api/client';
import { useMe } from '../api/session';
import type { Job } from '../api/types';
import { groupDigits } from '../lib/format';
import { ErrorAlert } from './ErrorAlert';

export type { Job } from '../api/types';

const POLL_MS = 1000;

export function isJobOver(job: Pick<Job, 'status'> | undefined): boolean {
  return !!job && ['succeeded', 'failed', 'cancelled'].includes(job.status);
}

/** The job, read again every second until it ends. */
export function useJob<R>(id: string | null | undefined) {
  return useQuery({
    queryKey: ['jobs', id],
    // The document gives a job's `result` as the synchronous answer of the operation that started it (R).
    queryFn: async () => (await apiGet(`/jobs/${id}`)) as Job<R>,
    enabled: !!id,
    refetchInterval: (query) => (isJobOver(query.state.data) ? false : POLL_MS),
  });
}

/**
 * The newest job of a list still queued or running, so a page opened again shows the work in hand. The list's
 * own import (`batch.import`) is not work on the list and is never answered here.
 */
export function useRunningJobOf(batchId: string, kindPrefix: string) {
  return useQuery({
    queryKey: ['jobs', 'of-batch', batchId, kindPrefix],
    queryFn: async () => {
      const page = await apiGet('/jobs', { batchId, limit: 10 });
      return (
        page.items.find((j) => j.kind.startsWith(kindPrefix) && j.kind !== 'batch.import' && !isJobOver(j)) ?? null
      );
    },
  });
}

/** "còn khoảng 2 phút" from the pace so far; nothing until a first item is done. */
export function timeLeft(job: Job, now = Date.now()): string | null {
  const { done, total } = job.progress;
  if (!job.startedAt || done === 0 || done >= total) return null;
  const elapsed = now - new Date(job.startedAt).getTime();
  const seconds = Math.ceil(((elapsed / done) * (total - done)) / 1000);
  if (seconds < 60) return `còn khoảng ${seconds} giây`;
  return `còn khoảng ${Math.ceil(seconds / 60)} phút`;
}

const STATUS_TEXT: Record<Job['status'], string> = {
  queued: 'Đang chờ máy chủ bắt đầu',
  running: 'Đang thực hiện',
  succeeded: 'Đã xong',
  failed: 'Bị lỗi, đã dừng',
  cancelled: 'Đã hủy',
};

/**
 * The progress of a job: a bar with the counts and the time left, who started it, and a cancel button for
 * the one who did. The work goes on on the server whether this page stays open or not.
 */
export function JobProgress({
  job,
  label,
  unit = 'hồ sơ',
  cancellable = true,
}: {
  job: Job;
  label: string;
  /** What `progress` counts ("hồ sơ" for lists; a reorganisation counts "mục" moved). */
  unit?: string;
  /** false: no cancel button (the server refuses to stop such a job half-way). */
  cancellable?: boolean;
}) {
  const me = useMe();
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => apiSend('POST', `/jobs/${job.id}/cancel`),
    onSuccess: (next) => queryClient.setQueryData(['jobs', job.id], next),
  });
  const { done, total } = job.progress;
  const percent = total ? Math.floor((100 * done) / total) : 0;
  const over = isJobOver(job);
  const left = over ? null : timeLeft(job);
  const stopping = job.cancelRequested && !over;
  return (
    <section aria-label={label}>
      <Flex vertical gap={4}>
        <Typography.Text strong>
          {label}: {STATUS_TEXT[job.status]}
          {stopping ? ' (đang dừng theo yêu cầu hủy)' : ''}
        </Typography.Text>
        <Progress
          percent={percent}
          aria-label={`Tiến độ: ${groupDigits(done)}/${groupDigits(total)} ${unit}`}
          status={
            job.status === 'failed'
              ? 'exception'
              : over
                ? job.status === 'cancelled'
                  ? 'normal'
                  : 'success'
                : 'active'
          }
          // The counts are written out below; the bar's own label would be pale text on white.
          showInfo={false}
        />
        <Typography.Text type="secondary" role="status">
          Đã xử lý {groupDigits(done)} trên {groupDigits(total)} {unit}
          {left ? `, ${left}` : ''}. Người thực hiện: {job.createdBy.name}.
          {!over && ' Có thể rời trang; công việc vẫn chạy trên máy chủ và hiện lại khi quay lại.'}
        </Typography.Text>
        {job.status === 'failed' && job.error && <Alert type="error" showIcon title={job.error.detail} />}
        <ErrorAlert error={cancel.error} />
        {cancellable && !over && me.id === job.createdBy.id && !job.cancelRequested && (
          <Popconfirm
            title="Hủy công việc?"
            description="Các hồ sơ đã xử lý được giữ nguyên; các hồ sơ còn lại không được xử lý."
            okText="Hủy công việc"
            cancelText="Không"
            onConfirm={() => cancel.mutate()}
          >
            <Button danger loading={cancel.isPending} style={{ alignSelf: 'start' }}>
              Hủy công việc
            </Button>
          </Popconfirm>
        )}
      </Flex>
    </section>
  );
}
