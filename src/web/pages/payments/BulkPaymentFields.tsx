import { Alert, Col, Form, Row, type FormInstance } from 'antd';
import { groupDigits, money, vnToday } from '../../lib/format';
import type { PlanRow, PlannedPayment } from './bulk-plan';
import { MethodField, NoteField, PaidAtField, VoucherNoField, type VoucherInput } from './voucher-fields';

export const BULK_FORM = 'bulk-payment';

/** Before sending: how many cases are paid, the total, and how many are skipped (their reasons stand in the table). */
export function PlanSummary({ rows, payments }: { rows: readonly PlanRow[]; payments: readonly PlannedPayment[] }) {
  const total = payments.reduce((sum, p) => sum + p.amount, 0);
  const skipped = rows.length - payments.length;
  return (
    <Alert
      type={payments.length ? 'info' : 'warning'}
      showIcon
      role="status"
      style={{ marginBottom: 16 }}
      title={
        payments.length
          ? `Sẽ chi ${groupDigits(payments.length)} hồ sơ, tổng ${money(total)}.`
          : 'Danh sách không còn hồ sơ nào chi được lúc này.'
      }
      description={
        skipped
          ? `${groupDigits(skipped)} hồ sơ của danh sách được bỏ qua, không gửi đi; lý do ghi ở từng hồ sơ trong bảng.`
          : undefined
      }
    />
  );
}

/** A transfer needs the member's account; the server refuses the cases without one, each with its reason. */
function TransferNotice() {
  return (
    <Form.Item noStyle dependencies={['method']}>
      {({ getFieldValue }) =>
        getFieldValue('method') === 'bank_transfer' && (
          <Alert
            type="warning"
            style={{ marginBottom: 16 }}
            title="Hồ sơ của đoàn viên chưa có tài khoản ngân hàng sẽ bị từ chối chuyển khoản; chi các hồ sơ đó bằng tiền mặt ở lần sau."
          />
        )
      }
    </Form.Item>
  );
}

/**
 * How, when and under which voucher the whole list is paid: one set of values for every payment. Locked
 * once sent, because every retry must carry exactly what was first sent.
 */
export function BulkPaymentFields({
  form,
  locked,
  onSend,
}: {
  form: FormInstance<VoucherInput>;
  locked: boolean;
  onSend: (values: VoucherInput) => void;
}) {
  return (
    <Form<VoucherInput>
      form={form}
      name={BULK_FORM}
      layout="vertical"
      disabled={locked}
      onFinish={onSend}
      initialValues={{ method: 'cash', paidAt: vnToday() }}
    >
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <MethodField />
        </Col>
        <Col xs={24} md={12}>
          <PaidAtField />
        </Col>
        <Col xs={24} md={12}>
          <VoucherNoField extra="Mọi khoản chi của danh sách đều mang số phiếu này." />
        </Col>
        <Col xs={24} md={12}>
          <NoteField />
        </Col>
      </Row>
      <TransferNotice />
    </Form>
  );
}
