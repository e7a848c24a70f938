import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Col, DatePicker, Form, Input, InputNumber, Radio, Row, Select } from 'antd';
import { apiGet } from '../../api/client';
import { afterVnToday, money } from '../../lib/format';

interface Share {
  fundId?: string;
  percent?: number;
}

export type FundMode = 'single' | 'shares';

/**
 * The approval's choices for the whole list (batch approve schema): the funds — one, or shares in whole
 * percents adding up to 100 — and the decision's signer, title and date. Each case's amount is its
 * verifier's recommendation, so the total is known before sending.
 */
export function ApproveFields({ total, count }: { total: number; count: number }) {
  const form = Form.useFormInstance();
  const mode = Form.useWatch<FundMode | undefined>('fundMode', form);
  const fundId = Form.useWatch<string | undefined>('fundId', form);
  const funds = useQuery({
    queryKey: ['funds', { limit: 100, sort: '-year' }],
    queryFn: () => apiGet('/funds', { limit: 100, sort: '-year' }),
  });
  const options = (funds.data?.items ?? []).map((f) => ({
    value: f.id,
    label: `${f.code} — ${f.name} (còn ${money(f.available)})`,
  }));
  const chosen = funds.data?.items.find((f) => f.id === fundId);

  return (
    <>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title={`Số tiền phê duyệt dự kiến: ${money(total)} cho ${count} hồ sơ (theo số tiền thẩm định đề nghị của từng hồ sơ).`}
      />
      <Form.Item name="fundMode" label="Phân bổ nguồn kinh phí">
        <Radio.Group
          options={[
            { value: 'single', label: 'Toàn bộ từ một nguồn' },
            { value: 'shares', label: 'Chia theo tỷ lệ giữa các nguồn' },
          ]}
        />
      </Form.Item>
      {mode === 'shares' ? (
        <Form.List
          name="fundShares"
          rules={[
            {
              validator: async (_, shares: Share[] | undefined) => {
                const sum = (shares ?? []).reduce((s, x) => s + (x?.percent ?? 0), 0);
                if (sum !== 100) throw new Error(`Tổng tỷ lệ các nguồn phải bằng 100 (đang là ${sum}).`);
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((field, index) => (
                <Row key={field.key} gutter={8} align="bottom">
                  <Col xs={24} md={14}>
                    <Form.Item
                      name={[field.name, 'fundId']}
                      label={`Nguồn kinh phí ${index + 1}`}
                      rules={[{ required: true, message: 'Chọn nguồn' }]}
                    >
                      <Select options={options} loading={funds.isLoading} placeholder="Chọn nguồn" />
                    </Form.Item>
                  </Col>
                  <Col xs={16} md={6}>
                    <Form.Item
                      name={[field.name, 'percent']}
                      label={`Tỷ lệ nguồn ${index + 1} (%)`}
                      rules={[{ required: true, message: 'Nhập tỷ lệ' }]}
                    >
                      <InputNumber<number> min={1} max={100} precision={0} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={8} md={4}>
                    <Form.Item>
                      <Button
                        icon={<DeleteOutlined />}
                        aria-label={`Bỏ nguồn ${index + 1}`}
                        onClick={() => remove(field.name)}
                        disabled={fields.length === 1}
                      />
                    </Form.Item>
                  </Col>
                </Row>
              ))}
              <Form.Item>
                <Button icon={<PlusOutlined />} onClick={() => add({})} disabled={fields.length >= 10}>
                  Thêm nguồn
                </Button>
                <Form.ErrorList errors={errors} />
              </Form.Item>
            </>
          )}
        </Form.List>
      ) : (
        <Form.Item
          name="fundId"
          label="Nguồn kinh phí"
          rules={[{ required: true, message: 'Chọn nguồn kinh phí' }]}
          extra={
            chosen && chosen.available < total
              ? `Nguồn chỉ còn ${money(chosen.available)}: các hồ sơ vượt quá sẽ được báo "không đủ nguồn".`
              : undefined
          }
        >
          <Select
            options={options}
            loading={funds.isLoading}
            placeholder="Chọn nguồn kinh phí"
            notFoundContent="Chưa có nguồn kinh phí nào"
          />
        </Form.Item>
      )}
      <Row gutter={16}>
        <Col xs={24} md={10}>
          <Form.Item
            name="signerName"
            label="Người ký quyết định"
            rules={[{ required: true, min: 2, message: 'Nhập họ tên người ký' }]}
          >
            <Input maxLength={100} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item
            name="signerTitle"
            label="Chức vụ người ký"
            rules={[{ required: true, min: 2, message: 'Nhập chức vụ' }]}
          >
            <Input maxLength={100} placeholder="CHỦ TỊCH" />
          </Form.Item>
        </Col>
        <Col xs={24} md={6}>
          <Form.Item name="decisionDate" label="Ngày quyết định" rules={[{ required: true, message: 'Chọn ngày' }]}>
            <DatePicker
              format="DD/MM/YYYY"
              placeholder="dd/mm/yyyy"
              style={{ width: '100%' }}
              disabledDate={afterVnToday}
            />
          </Form.Item>
        </Col>
      </Row>
    </>
  );
}
