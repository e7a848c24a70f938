import { Col, Form, Input, Row, Select } from 'antd';
import type { ReactNode } from 'react';
import { MoneyInput } from '../../components/MoneyInput';
import { money } from '../../lib/format';
import { label } from '../../lib/labels';

/**
 * The program-specific facts of a case (SPEC §5 `details`): union_house asks about the land and the house and
 * the money the family adds; disaster_relief describes the damage. Other programs have none.
 */
export const LAND_STATUS_NAMES: Record<string, string> = {
  owned: 'Đất thuộc quyền sử dụng của gia đình',
  family: 'Đất của cha mẹ, người thân (đã đồng ý)',
  leased: 'Đất thuê, mượn dài hạn',
  other: 'Khác',
};

export const HOUSE_CONDITION_NAMES: Record<string, string> = {
  none: 'Chưa có nhà ở',
  temporary: 'Nhà tạm',
  dilapidated: 'Nhà dột nát, hư hỏng nặng',
  damaged: 'Nhà hư hỏng một phần',
};

const FIELD_NAMES: Record<string, string> = {
  landStatus: 'Tình trạng đất ở',
  currentCondition: 'Hiện trạng nhà ở',
  estimatedCost: 'Dự toán xây dựng, sửa chữa',
  counterpartFunds: 'Vốn đối ứng của gia đình',
  damageDescription: 'Mô tả thiệt hại',
};

const MONEY_FIELDS = new Set(['estimatedCost', 'counterpartFunds']);

const options = (names: Record<string, string>) =>
  Object.entries(names).map(([value, text]) => ({ value, label: text }));
const HALF = { xs: 24, md: 12 };

function UnionHouseFields() {
  return (
    <Row gutter={16}>
      <Col {...HALF}>
        <Form.Item
          label={FIELD_NAMES.landStatus}
          name={['details', 'landStatus']}
          rules={[{ required: true, message: 'Chọn tình trạng đất ở' }]}
        >
          <Select options={options(LAND_STATUS_NAMES)} placeholder="Chọn" />
        </Form.Item>
      </Col>
      <Col {...HALF}>
        <Form.Item
          label={FIELD_NAMES.currentCondition}
          name={['details', 'currentCondition']}
          rules={[{ required: true, message: 'Chọn hiện trạng nhà ở' }]}
        >
          <Select options={options(HOUSE_CONDITION_NAMES)} placeholder="Chọn" />
        </Form.Item>
      </Col>
      <Col {...HALF}>
        <Form.Item label={FIELD_NAMES.estimatedCost} name={['details', 'estimatedCost']}>
          <MoneyInput />
        </Form.Item>
      </Col>
      <Col {...HALF}>
        <Form.Item label={FIELD_NAMES.counterpartFunds} name={['details', 'counterpartFunds']}>
          <MoneyInput />
        </Form.Item>
      </Col>
    </Row>
  );
}

function DisasterReliefFields() {
  return (
    <Form.Item
      label={FIELD_NAMES.damageDescription}
      name={['details', 'damageDescription']}
      rules={[{ required: true, message: 'Mô tả thiệt hại' }]}
    >
      <Input.TextArea rows={3} maxLength={2000} showCount />
    </Form.Item>
  );
}

const FIELDS_OF_PROGRAM: Record<string, () => ReactNode> = {
  union_house: UnionHouseFields,
  disaster_relief: DisasterReliefFields,
};

/** The form fields of the program's `details`, named `details.<field>` so the API's field errors land on them. */
export function ProgramDetailsFields({ programCode }: { programCode: string | undefined }) {
  const Fields = programCode ? FIELDS_OF_PROGRAM[programCode] : undefined;
  return Fields ? <Fields /> : null;
}

/** The details without empty answers, as the API stores them. */
export function cleanDetails(details: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(details ?? {}).filter(([, value]) => value !== undefined && value !== null && value !== ''),
  );
}

function detailValue(field: string, value: unknown): string {
  if (MONEY_FIELDS.has(field) && typeof value === 'number') return money(value);
  if (field === 'landStatus') return label(LAND_STATUS_NAMES, String(value));
  if (field === 'currentCondition') return label(HOUSE_CONDITION_NAMES, String(value));
  if (typeof value === 'boolean') return value ? 'Có' : 'Không';
  return String(value);
}

/** The case's details as label–value rows for the case page. */
export function detailRows(
  details: Record<string, unknown> | undefined,
): { key: string; label: string; children: string }[] {
  return Object.entries(cleanDetails(details)).map(([field, value]) => ({
    key: field,
    label: FIELD_NAMES[field] ?? field,
    children: detailValue(field, value),
  }));
}
