import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Flex, Form, Modal, Spin, Typography } from 'antd';
import { useState } from 'react';
import { apiBlob } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { isJobOver, JobProgress, type Job } from '../../components/JobProgress';
import { groupDigits, money } from '../../lib/format';
import { BulkPaymentFields, BULK_FORM, PlanSummary } from './BulkPaymentFields';
import { BulkPaymentTable } from './BulkPaymentTable';
import { isPlanned, loadBulkPlan } from './bulk-plan';
import { newIdempotencyKey } from './idempotency-key';
import { useListPaymentJob } from './useListPaymentJob';
import type { VoucherInput } from './voucher-fields';

type Payment = ReturnType<typeof useListPaymentJob>;

/** The end of the job: what was paid, and the bank's transfer list of the voucher. */
function PaymentSummary({ job }: { job: NonNullable<Payment['job']> }) {
  const result = job.result;
  if (!result) return null;
  const download = async (path: string) => {
    const { blob, filename } = await apiBlob(path.replace(/^\/api\/v1/, ''));
    const url = URL.createObjectURL(blob);
    const link = Object.assign(document.createElement('a'), {
      href: url,
      download: filename ?? 'danh-sach-chuyen-khoan',
    });
    link.click();
    URL.revokeObjectURL(url);
  };
  const refused = result.counts.failed + result.counts.skipped;
  return (
    <Alert
      type={refused ? 'warning' : 'success'}
      showIcon
      role="status"
      style={{ margin: '8px 0 16px' }}
      title={`Đã chi ${groupDigits(result.counts.paid)} hồ sơ, tổng ${money(result.totalAmount)}; ${groupDigits(refused)} hồ sơ không chi được.`}
      description={
        result.transferList ? (
          <Flex gap={8} wrap>
            <Button onClick={() => void download(result.transferList!.xlsx)}>Tải danh sách chuyển khoản (XLSX)</Button>
            <Button onClick={() => void download(result.transferList!.csv)}>Tải CSV</Button>
          </Flex>
        ) : undefined
      }
    />
  );
}

function Footer({ payment, count, onClose }: { payment: Payment; count: number; onClose: () => void }) {
  const started = !!payment.job;
  return (
    <Flex gap={8} wrap justify="end">
      {!started && (
        <Button
          type="primary"
          htmlType="submit"
          form={BULK_FORM}
          loading={payment.start.isPending}
          disabled={count === 0}
        >
          Chi trả {groupDigits(count)} hồ sơ
        </Button>
      )}
      <Button onClick={onClose} disabled={payment.start.isPending}>
        {started ? 'Đóng' : 'Hủy'}
      </Button>
    </Flex>
  );
}

/**
 * "Chi trả cả danh sách": every payable case of a list paid with one voucher by one request; the server pays
 * them as a job whose progress this shows. The caller mounts it once per opening (the opening's id is the
 * request's Idempotency-Key) and keeps the job's id in the address, so a reload comes back to the same job.
 */
export function BulkPaymentModal({
  batchId,
  jobId,
  onStarted,
  onClose,
}: {
  batchId: string;
  jobId: string | null;
  onStarted: (job: Job) => void;
  onClose: () => void;
}) {
  const [opening] = useState(newIdempotencyKey);
  // Opened on a job already under way (a reload, or back from another page): the preview read now is not the plan the
  // job started from, since the cases it has paid read as paid already.
  const [resumed] = useState(() => jobId !== null);
  const [form] = Form.useForm<VoucherInput>();
  // Read once per opening: what is previewed is what is sent, whatever the other pages refresh meanwhile.
  const plan = useQuery({
    queryKey: ['bulk-plan', batchId, opening],
    queryFn: () => loadBulkPlan(batchId),
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
  });
  const payment = useListPaymentJob(batchId, opening, jobId, onStarted);
  const rows = plan.data?.rows ?? [];
  const payments = rows.filter(isPlanned);
  const started = !!payment.job;
  const resumedRunning = resumed && !!payment.job && !isJobOver(payment.job);
  // Leaving never stops the payments: they run on the server.
  const leave = () => !payment.start.isPending && onClose();

  return (
    <Modal
      open
      title={`Chi trả cả danh sách${plan.data ? ` – ${plan.data.fileName}` : ''}`}
      width={1000}
      onCancel={leave}
      maskClosable={false}
      footer={plan.data ? <Footer payment={payment} count={payments.length} onClose={leave} /> : null}
    >
      <ErrorAlert error={plan.error ?? payment.start.error} />
      {plan.isLoading && (
        <Flex gap={8} align="center">
          <Spin /> Đang tính khoản chi của từng hồ sơ…
        </Flex>
      )}
      {plan.data && (
        <>
          {!started && <PlanSummary rows={rows} payments={payments} />}
          {!started && (
            <BulkPaymentFields
              form={form}
              locked={payment.start.isPending}
              onSend={(values) => payment.start.mutate(values)}
            />
          )}
          {payment.job && <JobProgress job={payment.job} label="Chi trả cả danh sách" />}
          {payment.job && isJobOver(payment.job) && <PaymentSummary job={payment.job} />}
          {resumedRunning ? (
            <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
              Kết quả của từng hồ sơ hiện ở đây khi công việc xong.
            </Typography.Paragraph>
          ) : (
            <section aria-label={started ? 'Kết quả chi trả danh sách' : 'Các khoản sẽ chi'}>
              <BulkPaymentTable rows={rows} outcomes={payment.outcomes} />
            </section>
          )}
        </>
      )}
    </Modal>
  );
}
