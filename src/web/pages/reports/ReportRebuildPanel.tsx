import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Flex, Popconfirm, Typography } from 'antd';
import { apiGet, apiStartJob } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { isJobOver, JobProgress, useJob } from '../../components/JobProgress';
import { dateTime, groupDigits } from '../../lib/format';

const KIND = 'reports.rebuild';

interface RebuildResult {
  generation: number;
  cases: number;
  entries: number;
  buckets: number;
  cancelled: boolean;
}

/**
 * Tính lại tổng báo cáo (national administrator, under the reports): the report figures made again from the cases and payments, as a job
 * the service runs while it keeps serving (POST /reports/rebuild). The newest rebuild is shown when the panel
 * opens again, running or ended.
 */
export function ReportRebuildPanel() {
  const queryClient = useQueryClient();
  const latest = useQuery({
    queryKey: ['jobs', 'kind', KIND],
    queryFn: async () => (await apiGet('/jobs', { kind: KIND, limit: 1 })).items[0] ?? null,
  });
  const job = useJob<RebuildResult>(latest.data?.id);
  const start = useMutation({
    mutationFn: () => apiStartJob('/reports/rebuild', {}),
    onSuccess: (started) => queryClient.setQueryData(['jobs', 'kind', KIND], started),
  });
  const current = job.data ?? null;
  const running = !!current && !isJobOver(current);
  const result = current?.status === 'succeeded' ? (current.result as RebuildResult | null) : null;
  return (
    <Flex vertical gap={16} style={{ maxWidth: 720 }}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        Tổng báo cáo được cộng dồn mỗi khi hồ sơ đổi trạng thái hay có khoản chi. Tính lại sẽ đọc lại toàn bộ hồ sơ và
        khoản chi để dựng tổng mới bên cạnh tổng đang dùng; trong lúc đó báo cáo vẫn đọc tổng cũ và mọi người vẫn làm
        việc bình thường. Khi xong, mọi báo cáo chuyển sang tổng mới cùng một lúc.
      </Typography.Paragraph>
      <ErrorAlert error={latest.error ?? start.error} />
      {current && <JobProgress job={current} label="Lần tính lại" unit="hồ sơ và khoản chi" />}
      {result && !result.cancelled && (
        <Alert
          type="success"
          showIcon
          title={`Lần tính lại gần nhất xong lúc ${dateTime(current!.finishedAt!)}`}
          description={`Đã đọc ${groupDigits(result.cases)} hồ sơ và ${groupDigits(result.entries)} khoản chi; tổng mới có ${groupDigits(result.buckets)} nhóm theo tháng.`}
        />
      )}
      <Popconfirm
        title="Tính lại tổng báo cáo?"
        description="Việc này chạy nền và có thể mất vài phút với nhiều hồ sơ."
        okText="Tính lại"
        cancelText="Không"
        onConfirm={() => start.mutate()}
        disabled={running}
      >
        <Button type="primary" disabled={running} loading={start.isPending} style={{ alignSelf: 'start' }}>
          Tính lại tổng báo cáo
        </Button>
      </Popconfirm>
    </Flex>
  );
}
