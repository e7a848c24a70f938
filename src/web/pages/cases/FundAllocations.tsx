import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Col, Form, Row, Select, Typography, type FormInstance } from 'antd';
import type { RuleObject } from 'antd/es/form';
import { useEffect } from 'react';
import { apiGet } from '../../api/client';
import { MoneyInput } from '../../components/MoneyInput';
import { money } from '../../lib/format';

export interface AllocationRow {
  fundId?: string;
  amount?: number;
}

export function sumOf(rows: AllocationRow[] | undefined): number {
  return (rows ?? []).reduce((sum, row) => sum + (row?.amount ?? 0), 0);
}

function useFunds() {
  const query = { limit: 100, sort: '-available' };
  return useQuery({ queryKey: ['funds', query], queryFn: () => apiGet('/funds', query) });
}

/**
 * The approved amount split over the province's funds (SPEC §7): each fund shown with what it can still
 * commit, each row within it, each fund once, and the sum equal to the approved amount — all checked here
 * before sending; the server checks again, also against concurrent approvals.
 */
export function FundAllocations({ form }: { form: FormInstance }) {
  const funds = useFunds();
  const approved = Form.useWatch<number | undefined>('approvedAmount', form);
  const rows = Form.useWatch<AllocationRow[] | undefined>('fundAllocations', form);
  const available = (fundId: string | undefined) => funds.data?.items.find((f) => f.id === fundId)?.available;
  const options = funds.data?.items.map((f) => ({
    value: f.id,
    label: `${f.code} — ${f.name} (còn ${money(f.available)})`,
  }));

  // The sum's error, once shown, follows the amounts as they are corrected.
  useEffect(() => {
    if (form.getFieldError(['fundAllocations']).length)
      void form.validateFields([['fundAllocations']]).catch(() => undefined);
  }, [form, rows, approved]);

  const sumRule = {
    validator: async (_: unknown, value?: AllocationRow[]) => {
      const total = form.getFieldValue('approvedAmount') as number | undefined;
      if (!value?.length) throw new Error('Chọn ít nhất một nguồn kinh phí');
      if (sumOf(value) !== total)
        throw new Error(`Tổng phân bổ ${money(sumOf(value))} phải bằng số tiền phê duyệt ${money(total ?? 0)}`);
    },
  };
  const onceRule: RuleObject = {
    validator: async (_, fundId?: string) => {
      if (fundId && (rows ?? []).filter((row) => row?.fundId === fundId).length > 1)
        throw new Error('Mỗi nguồn chỉ chọn một lần');
    },
  };
  const withinFund = (i: number): RuleObject => ({
    validator: async (_, amount?: number) => {
      const left = available(rows?.[i]?.fundId);
      if (amount !== undefined && left !== undefined && amount > left) throw new Error(`Nguồn chỉ còn ${money(left)}`);
    },
  });
  const left = (i: number) => available(rows?.[i]?.fundId);

  return (
    <Form.List name="fundAllocations" rules={[sumRule]}>
      {(fields, { add, remove }, { errors }) => (
        <>
          <Typography.Text strong>Phân bổ nguồn kinh phí</Typography.Text>
          {fields.map((field, i) => (
            <Row key={field.key} gutter={8} wrap>
              <Col xs={24} sm={14}>
                <Form.Item
                  label={`Nguồn ${i + 1}`}
                  name={[field.name, 'fundId']}
                  extra={left(i) !== undefined ? `Còn có thể cam kết: ${money(left(i))}` : undefined}
                  rules={[{ required: true, message: 'Chọn nguồn kinh phí' }, onceRule]}
                >
                  <Select
                    options={options}
                    loading={funds.isLoading}
                    placeholder="Chọn nguồn"
                    showSearch={{ optionFilterProp: 'label' }}
                    notFoundContent="Chưa có nguồn kinh phí"
                  />
                </Form.Item>
              </Col>
              <Col xs={18} sm={8}>
                <Form.Item
                  label={`Số tiền nguồn ${i + 1}`}
                  name={[field.name, 'amount']}
                  rules={[{ required: true, message: 'Nhập số tiền' }, withinFund(i)]}
                >
                  <MoneyInput />
                </Form.Item>
              </Col>
              <Col xs={6} sm={2} style={{ paddingTop: 30 }}>
                <Button
                  icon={<DeleteOutlined />}
                  aria-label={`Bỏ nguồn ${i + 1}`}
                  disabled={fields.length === 1}
                  onClick={() => remove(field.name)}
                />
              </Col>
            </Row>
          ))}
          <Typography.Paragraph style={{ marginBottom: 8 }}>
            Tổng phân bổ: {money(sumOf(rows))} / số phê duyệt {money(approved ?? 0)}
          </Typography.Paragraph>
          <Form.ErrorList errors={errors} />
          <Button
            icon={<PlusOutlined />}
            onClick={() => add({ amount: Math.max((approved ?? 0) - sumOf(rows), 0) || undefined })}
            style={{ margin: '8px 0 16px' }}
          >
            Thêm nguồn
          </Button>
        </>
      )}
    </Form.List>
  );
}
