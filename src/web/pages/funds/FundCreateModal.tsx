import { useQueryClient } from '@tanstack/react-query';
import { Form, Input, InputNumber, Select } from 'antd';
import { apiSend } from '../../api/client';
import { MoneyInput } from '../../components/MoneyInput';
import { useFormMutation } from '../../components/useFormMutation';
import { FormModal } from '../../components/FormModal';
import { FUND_KIND_NAMES } from './fund-types';
import { vnYear } from '../../../core/shared/dates';

interface FundInput {
  code: string;
  name: string;
  kind: string;
  sponsorName?: string;
  year: number;
  allocated: number;
}

const KIND_OPTIONS = Object.entries(FUND_KIND_NAMES).map(([value, label]) => ({ value, label }));

/** Creates a fund of the user's province (POST /funds); the API's field errors land beside the fields. */
export function FundCreateModal({ onClose }: { onClose: () => void }) {
  const [form] = Form.useForm<FundInput>();
  const queryClient = useQueryClient();
  const kind = Form.useWatch('kind', form);
  const create = useFormMutation(form, {
    mutationFn: (input: FundInput) =>
      apiSend('POST', '/funds', {
        ...input,
        sponsorName: input.kind === 'sponsor' ? input.sponsorName : undefined,
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['funds'] });
      onClose();
    },
  });

  return (
    <FormModal<FundInput>
      title="Tạo nguồn kinh phí"
      okText="Tạo nguồn"
      form={form}
      sending={create}
      onClose={onClose}
      initialValues={{ kind: 'social_fund', year: vnYear(), allocated: 0 }}
    >
      <Form.Item
        label="Mã nguồn"
        name="code"
        rules={[{ required: true, message: 'Nhập mã nguồn, ví dụ QXH-2026' }]}
        extra="Duy nhất trong tỉnh; chữ in hoa, số và - _ ."
      >
        <Input autoFocus maxLength={40} />
      </Form.Item>
      <Form.Item label="Tên nguồn" name="name" rules={[{ required: true, min: 2, message: 'Nhập tên nguồn' }]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item label="Loại nguồn" name="kind" rules={[{ required: true }]}>
        <Select options={KIND_OPTIONS} />
      </Form.Item>
      {kind === 'sponsor' && (
        <Form.Item
          label="Nhà tài trợ"
          name="sponsorName"
          rules={[{ required: true, min: 2, message: 'Nhập tên nhà tài trợ' }]}
        >
          <Input maxLength={200} />
        </Form.Item>
      )}
      <Form.Item label="Năm" name="year" rules={[{ required: true, message: 'Nhập năm' }]}>
        <InputNumber min={2000} max={2100} precision={0} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item label="Số phân bổ ban đầu" name="allocated" rules={[{ required: true, message: 'Nhập số phân bổ' }]}>
        <MoneyInput />
      </Form.Item>
    </FormModal>
  );
}
