import { DatePicker, Form, Select } from 'antd';
import dayjs from 'dayjs';
import { usePrograms } from '../../components/EntityNames';
import { isoDay } from '../../lib/format';

/** The filters GET /decisions takes (besides paging). */
export const FILTER_KEYS = ['programCode', 'status', 'from', 'to'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

const VALIDITY = [
  { value: 'issued', label: 'Còn hiệu lực' },
  { value: 'revoked', label: 'Đã thu hồi' },
];

interface Props {
  params: URLSearchParams;
  onChange: (changes: Partial<Record<FilterKey, string>>) => void;
}

/** Program, validity and the decision date's range, kept in the address. */
export function DecisionFilters({ params, onChange }: Props) {
  const programs = usePrograms();
  const choice = (key: FilterKey, label: string, options: { value: string; label: string }[]) => (
    <Form.Item label={label} htmlFor={`decisions-${key}`}>
      <Select
        id={`decisions-${key}`}
        allowClear
        placeholder="Tất cả"
        style={{ minWidth: 180 }}
        value={params.get(key) ?? undefined}
        onChange={(value?: string) => onChange({ [key]: value })}
        options={options}
      />
    </Form.Item>
  );
  const day = (key: FilterKey, label: string) => {
    const value = params.get(key);
    return (
      <Form.Item label={label} htmlFor={`decisions-${key}`}>
        <DatePicker
          id={`decisions-${key}`}
          format="DD/MM/YYYY"
          placeholder="dd/mm/yyyy"
          value={value ? dayjs(value) : null}
          onChange={(picked) => onChange({ [key]: picked ? isoDay(picked) : undefined })}
        />
      </Form.Item>
    );
  };
  return (
    <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
      {choice(
        'programCode',
        'Chương trình',
        (programs.data ?? []).map((p) => ({ value: p.code, label: p.name })),
      )}
      {choice('status', 'Hiệu lực', VALIDITY)}
      {day('from', 'Từ ngày')}
      {day('to', 'Đến ngày')}
    </Form>
  );
}
