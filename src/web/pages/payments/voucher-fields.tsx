import { DatePicker, Form, Input, Radio } from 'antd';
import type dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { afterVnToday, isoDay } from '../../lib/format';

/** What the accountant writes on a payment besides the amount: how, when, under which voucher (SPEC §7). */
export interface VoucherInput {
  method: 'cash' | 'bank_transfer';
  paidAt: dayjs.Dayjs;
  voucherNo: string;
  note?: string;
}

/** The voucher part of a POST /cases/:id/disbursements body (dates as the API takes them). */
export function voucherBody({ paidAt, note, ...rest }: VoucherInput): {
  method: VoucherInput['method'];
  paidAt: string;
  voucherNo: string;
  note?: string;
} {
  return { ...rest, paidAt: isoDay(paidAt), ...(note?.trim() ? { note: note.trim() } : {}) };
}

export function MethodField() {
  return (
    <Form.Item label="Hình thức chi" name="method" rules={[{ required: true }]}>
      <Radio.Group
        options={[
          { value: 'bank_transfer', label: 'Chuyển khoản' },
          { value: 'cash', label: 'Tiền mặt' },
        ]}
      />
    </Form.Item>
  );
}

/** Ngày chi: today at the latest (the server refuses a later day). */
export function PaidAtField() {
  return (
    <Form.Item label="Ngày chi" name="paidAt" rules={[{ required: true, message: 'Chọn ngày chi' }]}>
      <DatePicker format="DD/MM/YYYY" placeholder="dd/mm/yyyy" style={{ width: '100%' }} disabledDate={afterVnToday} />
    </Form.Item>
  );
}

export function VoucherNoField({ extra }: { extra?: ReactNode }) {
  return (
    <Form.Item
      label="Số phiếu chi / chứng từ"
      name="voucherNo"
      extra={extra}
      rules={[{ required: true, whitespace: true, message: 'Nhập số phiếu chi' }]}
    >
      <Input maxLength={40} />
    </Form.Item>
  );
}

export function NoteField() {
  return (
    <Form.Item label="Ghi chú" name="note">
      <Input.TextArea rows={2} maxLength={2000} />
    </Form.Item>
  );
}
