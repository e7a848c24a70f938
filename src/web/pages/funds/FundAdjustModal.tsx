import { useQueryClient } from '@tanstack/react-query';
import { Form, Input, Radio, Typography } from 'antd';
import { apiSend } from '../../api/client';
import { MoneyInput } from '../../components/MoneyInput';
import { useFormMutation } from '../../components/useFormMutation';
import { money } from '../../lib/format';
import { FormModal } from '../../components/FormModal';
import type { Fund } from './fund-types';

interface AdjustInput {
  direction: 'increase' | 'decrease';
  amount: number;
  reason: string;
}

/**
 * Raises or lowers a fund's allocation with a reason (POST /funds/:id/adjustments). The API takes a signed
 * amount; people think in "tăng" and "giảm", so the sign is a choice beside a positive amount.
 */
export function FundAdjustModal({ fund, onClose }: { fund: Fund; onClose: () => void }) {
  const [form] = Form.useForm<AdjustInput>();
  const queryClient = useQueryClient();
  const adjust = useFormMutation(form, {
    mutationFn: ({ direction, amount, reason }: AdjustInput) =>
      apiSend('POST', `/funds/${fund.id}/adjustments`, {
        amount: direction === 'decrease' ? -amount : amount,
        reason,
      }),
    onSuccess: async () => {
      await Promise.all(['funds', 'fund-statement'].map((key) => queryClient.invalidateQueries({ queryKey: [key] })));
      onClose();
    },
  });

  return (
    <FormModal<AdjustInput>
      title={`Điều chỉnh phân bổ: ${fund.code}`}
      okText="Ghi điều chỉnh"
      form={form}
      sending={adjust}
      onClose={onClose}
      initialValues={{ direction: 'increase' }}
      intro={
        <Typography.Paragraph>
          Đang phân bổ {money(fund.allocated)}; còn có thể cam kết {money(fund.available)}. Không giảm được quá số còn
          có thể cam kết.
        </Typography.Paragraph>
      }
    >
      <Form.Item label="Loại điều chỉnh" name="direction">
        <Radio.Group
          options={[
            { value: 'increase', label: 'Tăng phân bổ' },
            { value: 'decrease', label: 'Giảm phân bổ' },
          ]}
        />
      </Form.Item>
      <Form.Item
        label="Số tiền điều chỉnh"
        name="amount"
        rules={[{ required: true, type: 'number', min: 1, message: 'Nhập số tiền lớn hơn 0' }]}
      >
        <MoneyInput min={1} />
      </Form.Item>
      <Form.Item
        label="Lý do"
        name="reason"
        rules={[{ required: true, min: 5, message: 'Nhập lý do (ít nhất 5 ký tự)' }]}
      >
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
    </FormModal>
  );
}
