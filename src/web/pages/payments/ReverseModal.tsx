import { useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Typography } from 'antd';
import { apiSend } from '../../api/client';
import { useFormMutation } from '../../components/useFormMutation';
import { date, money } from '../../lib/format';
import { FormModal } from '../../components/FormModal';
import type { Disbursement } from './payment-types';
import { refreshAfterPayment } from './refresh';

interface ReverseInput {
  reason: string;
  voucherNo?: string;
}

/**
 * Cancels a wrong payment by a reversal entry (POST /disbursements/:id/reverse). Another accountant than
 * the payer must do it; when the server still refuses (SEPARATION_OF_DUTIES, a closed case) its detail shows.
 */
export function ReverseModal({ payment, onClose }: { payment: Disbursement; onClose: () => void }) {
  const [form] = Form.useForm<ReverseInput>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const reverse = useFormMutation(form, {
    mutationFn: ({ reason, voucherNo }: ReverseInput) =>
      apiSend('POST', `/disbursements/${payment.id}/reverse`, { reason, voucherNo: voucherNo || undefined }),
    onSuccess: async () => {
      void message.success(`Đã hủy khoản chi ${payment.voucherNo}.`);
      await refreshAfterPayment(queryClient);
      onClose();
    },
  });
  return (
    <FormModal<ReverseInput>
      title="Hủy khoản chi"
      okText="Hủy khoản chi"
      form={form}
      sending={reverse}
      onClose={onClose}
      intro={
        <Typography.Paragraph>
          Khoản chi {money(payment.amount)} ngày {date(payment.paidAt)} (phiếu {payment.voucherNo}) của hồ sơ{' '}
          {payment.caseCode} sẽ được hủy bằng một bút toán ngược dấu; hồ sơ và nguồn {payment.fundCode} giảm theo. Khoản
          chi không bị xóa.
        </Typography.Paragraph>
      }
    >
      <Form.Item
        label="Lý do hủy"
        name="reason"
        rules={[{ required: true, whitespace: true, min: 5, message: 'Nhập lý do hủy (ít nhất 5 ký tự)' }]}
      >
        <Input.TextArea rows={3} maxLength={2000} autoFocus />
      </Form.Item>
      <Form.Item label="Số chứng từ của bút toán hủy" name="voucherNo" extra="Để trống: dùng số phiếu chi gốc">
        <Input maxLength={40} />
      </Form.Item>
    </FormModal>
  );
}
