import { AutoComplete, Col, DatePicker, Form, Input, Radio, Row, Typography } from 'antd';
import type { ReactNode } from 'react';
import { OrgPicker } from '../../components/OrgPicker';
import { GENDER_NAMES } from '../../lib/labels';
import { TRANSFER_BANKS } from '../../../core/shared/banks';
import { afterVnToday } from '../../lib/format';

const required = (what: string) => [{ required: true, message: `Vui lòng nhập ${what}` }];
const notInFuture = afterVnToday;
const DAY = 'DD/MM/YYYY';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <>
      <Typography.Title level={2} style={{ fontSize: 16, marginTop: 8 }}>
        {title}
      </Typography.Title>
      <Row gutter={16}>{children}</Row>
    </>
  );
}

/** A field in one column on phones and two on wider screens. */
function Half({ children, wide }: { children: ReactNode; wide?: boolean }) {
  return (
    <Col xs={24} md={wide ? 24 : 12}>
      {children}
    </Col>
  );
}

/**
 * The fields of SPEC §3 / Appendix A. Formats (CCCD, phone, BIN) are checked by the API, whose messages
 * land beside these fields, nested ones (`address.commune`, `bankAccount.bankBin`) included.
 */
export function MemberFields() {
  return (
    <>
      <Section title="Thông tin cá nhân">
        <Half wide>
          <Form.Item name="fullName" label="Họ và tên" rules={required('họ và tên')}>
            <Input autoComplete="off" maxLength={100} />
          </Form.Item>
        </Half>
        <Half>
          <Form.Item name="dateOfBirth" label="Ngày sinh" rules={required('ngày sinh')}>
            <DatePicker format={DAY} placeholder="dd/mm/yyyy" disabledDate={notInFuture} style={{ width: '100%' }} />
          </Form.Item>
        </Half>
        <Half>
          <Form.Item name="gender" label="Giới tính" rules={[{ required: true, message: 'Vui lòng chọn giới tính' }]}>
            <Radio.Group options={Object.entries(GENDER_NAMES).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
        </Half>
        <Half>
          <Form.Item name="citizenId" label="Số CCCD" rules={required('số CCCD')} extra="Đúng 12 chữ số">
            <Input inputMode="numeric" autoComplete="off" maxLength={12} />
          </Form.Item>
        </Half>
      </Section>

      <Section title="Công đoàn">
        <Half>
          <Form.Item
            name="orgId"
            label="Công đoàn cơ sở"
            rules={[{ required: true, message: 'Vui lòng chọn công đoàn cơ sở' }]}
          >
            <OrgPicker level="grassroots" placeholder="Gõ tên để tìm" />
          </Form.Item>
        </Half>
        <Half>
          <Form.Item name="joinedUnionAt" label="Ngày vào công đoàn" rules={required('ngày vào công đoàn')}>
            <DatePicker format={DAY} placeholder="dd/mm/yyyy" disabledDate={notInFuture} style={{ width: '100%' }} />
          </Form.Item>
        </Half>
        <Half>
          <Form.Item name="unionCardNo" label="Số thẻ đoàn viên">
            <Input autoComplete="off" maxLength={30} />
          </Form.Item>
        </Half>
      </Section>

      <Section title="Liên hệ và địa chỉ">
        <Half>
          <Form.Item name="phone" label="Số điện thoại">
            <Input inputMode="tel" autoComplete="off" />
          </Form.Item>
        </Half>
        <Half>
          <Form.Item name={['address', 'province']} label="Tỉnh, thành phố">
            <Input maxLength={100} />
          </Form.Item>
        </Half>
        <Half>
          <Form.Item name={['address', 'commune']} label="Xã, phường">
            <Input maxLength={100} />
          </Form.Item>
        </Half>
        <Half>
          <Form.Item name={['address', 'detail']} label="Địa chỉ chi tiết (thôn, số nhà)">
            <Input maxLength={300} />
          </Form.Item>
        </Half>
      </Section>

      <Section title="Tài khoản ngân hàng (không bắt buộc)">
        <Half>
          <Form.Item
            name={['bankAccount', 'bankBin']}
            label="Mã ngân hàng (BIN)"
            extra="6 chữ số; gõ tên ngân hàng để chọn"
          >
            <AutoComplete
              options={TRANSFER_BANKS.map((bank) => ({ value: bank.bin, label: `${bank.bin} — ${bank.shortName}` }))}
              showSearch={{
                filterOption: (text, option) =>
                  String(option?.label ?? '')
                    .toLowerCase()
                    .includes(text.toLowerCase()),
              }}
            />
          </Form.Item>
        </Half>
        <Half>
          <Form.Item name={['bankAccount', 'accountNo']} label="Số tài khoản">
            <Input inputMode="numeric" autoComplete="off" maxLength={19} />
          </Form.Item>
        </Half>
        <Half wide>
          <Form.Item
            name={['bankAccount', 'accountName']}
            label="Tên chủ tài khoản"
            extra="Lưu in hoa, không dấu như ngân hàng ghi"
          >
            <Input maxLength={100} />
          </Form.Item>
        </Half>
      </Section>
    </>
  );
}
