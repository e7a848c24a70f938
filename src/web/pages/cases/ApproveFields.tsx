import { AutoComplete, Col, DatePicker, Form, Input, Row, type FormInstance } from 'antd';
import { useMe } from '../../api/session';
import { MoneyInput } from '../../components/MoneyInput';
import { afterVnToday, money } from '../../lib/format';
import { amountRules } from './amountRules';
import { FundAllocations } from './FundAllocations';

const SIGNER_TITLES = ['CHỦ TỊCH', 'PHÓ CHỦ TỊCH'].map((value) => ({ value }));

/**
 * What an approval asks (the approve body of cases/workflow.ts): the amount within the cap, a reason when it
 * exceeds the recommendation, the funds it is taken from, and the decision's signer and date (SPEC §6; each
 * defaults on the server when left empty).
 */
export function ApproveFields({
  form,
  reference,
  cap,
}: {
  form: FormInstance;
  reference: number;
  cap: number | undefined;
}) {
  const me = useMe();
  const approved = Form.useWatch<number | undefined>('approvedAmount', form);

  return (
    <>
      <Form.Item
        label="Số tiền phê duyệt"
        name="approvedAmount"
        extra={`Thẩm định đề xuất: ${money(reference)}${cap !== undefined ? ` · mức tối đa: ${money(cap)}` : ''}`}
        rules={amountRules('Nhập số tiền phê duyệt', cap)}
      >
        <MoneyInput />
      </Form.Item>
      {approved !== undefined && approved > reference && (
        <Form.Item
          label="Lý do phê duyệt cao hơn số đề xuất"
          name="amountReason"
          rules={[{ required: true, min: 5, message: 'Nêu lý do (ít nhất 5 ký tự)' }]}
        >
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      )}
      <FundAllocations form={form} />
      <Row gutter={8}>
        <Col xs={24} sm={12}>
          <Form.Item label="Người ký quyết định" name="signerName" extra="Để trống: người phê duyệt">
            <Input placeholder={me.fullName} maxLength={100} />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item label="Chức vụ người ký" name="signerTitle">
            <AutoComplete options={SIGNER_TITLES} placeholder="CHỦ TỊCH" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label="Ngày quyết định" name="decisionDate" extra="Để trống: hôm nay">
        <DatePicker
          format="DD/MM/YYYY"
          placeholder="dd/mm/yyyy"
          style={{ width: '100%' }}
          disabledDate={afterVnToday}
        />
      </Form.Item>
    </>
  );
}
