import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Flex, Form, Modal, Progress, Spin } from 'antd';
import { useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { money } from '../../lib/format';
import { BulkPaymentFields, BULK_FORM, PlanSummary } from './BulkPaymentFields';
import { BulkPaymentTable } from './BulkPaymentTable';
import { isPlanned, loadBulkPlan } from './bulk-plan';
import { newIdempotencyKey } from './idempotency-key';
import { useBulkPayment } from './useBulkPayment';
import type { VoucherInput } from './voucher-fields';

type Bulk = ReturnType<typeof useBulkPayment>;

function SendProgress({ bulk }: { bulk: Bulk }) {
  const percent = bulk.total ? Math.round((100 * bulk.settled) / bulk.total) : 0;
  const paidSum = Object.values(bulk.outcomes).reduce((sum, o) => sum + (o.state === 'paid' ? o.payment.amount : 0), 0);
  return (
    <>
      <Progress percent={percent} aria-label="Tiến độ chi trả danh sách" status={bulk.sending ? 'active' : bulk.refused ? 'exception' : 'success'} />
      {!bulk.sending && (
        <Alert
          type={bulk.refused ? 'warning' : 'success'}
          showIcon
          role="status"
          style={{ margin: '8px 0 16px' }}
          title={`Đã chi ${bulk.paid} hồ sơ, tổng ${money(paidSum)}; ${bulk.refused} hồ sơ không chi được.`}
          description={bulk.refused ? 'Thử lại gửi lại đúng các khoản đó với cùng khóa: khoản nào máy chủ đã ghi nhận sẽ không bị chi lần nữa.' : undefined}
        />
      )}
    </>
  );
}

function Footer({ bulk, count, onClose }: { bulk: Bulk; count: number; onClose: () => void }) {
  const done = bulk.started && !bulk.sending;
  return (
    <Flex gap={8} wrap justify="end">
      {!done && (
        <Button type="primary" htmlType="submit" form={BULK_FORM} loading={bulk.sending} disabled={bulk.started || count === 0}>
          Chi trả {count} hồ sơ
        </Button>
      )}
      {done && bulk.refused > 0 && <Button type="primary" onClick={bulk.retryRefused}>Thử lại các hồ sơ lỗi</Button>}
      <Button onClick={onClose} disabled={bulk.sending}>{bulk.started ? 'Đóng' : 'Hủy'}</Button>
    </Flex>
  );
}

/**
 * "Chi trả cả danh sách": every payable case of a list paid with one voucher, one request per case. The
 * caller mounts it once per opening; the opening's id makes each case's Idempotency-Key.
 */
export function BulkPaymentModal({ batchId, onClose }: { batchId: string; onClose: () => void }) {
  const [opening] = useState(newIdempotencyKey);
  const [form] = Form.useForm<VoucherInput>();
  // Read once per opening: what is previewed is what is sent, whatever the other pages refresh meanwhile.
  const plan = useQuery({ queryKey: ['bulk-plan', batchId, opening], queryFn: () => loadBulkPlan(batchId), staleTime: Infinity, gcTime: 0, retry: false });
  const bulk = useBulkPayment(opening);
  const rows = plan.data?.rows ?? [];
  const payments = rows.filter(isPlanned);
  const leave = () => !bulk.sending && onClose();

  return (
    <Modal
      open
      title={`Chi trả cả danh sách${plan.data ? ` – ${plan.data.batch.fileName}` : ''}`}
      width={1000}
      onCancel={leave}
      maskClosable={false}
      keyboard={!bulk.sending}
      closable={!bulk.sending}
      footer={plan.data ? <Footer bulk={bulk} count={payments.length} onClose={leave} /> : null}
    >
      <ErrorAlert error={plan.error} />
      {plan.isLoading && <Flex gap={8} align="center"><Spin /> Đang tính khoản chi của từng hồ sơ…</Flex>}
      {plan.data && (
        <>
          {!bulk.started && <PlanSummary rows={rows} payments={payments} />}
          <BulkPaymentFields form={form} locked={bulk.started} onSend={(values) => bulk.start(payments, values)} />
          {bulk.started && <SendProgress bulk={bulk} />}
          <section aria-label={bulk.started ? 'Kết quả chi trả danh sách' : 'Các khoản sẽ chi'}>
            <BulkPaymentTable rows={rows} outcomes={bulk.outcomes} />
          </section>
        </>
      )}
    </Modal>
  );
}
