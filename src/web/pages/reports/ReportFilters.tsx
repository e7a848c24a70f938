import { Col, DatePicker, Form, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { ReactNode } from 'react';
import { useMe } from '../../api/session';
import { OrgPicker } from '../../components/OrgPicker';
import { isoDay } from '../../lib/format';
import { daysOf, keyOf, kindOf, PERIOD_KINDS, switchKind, type Period } from './reportPeriod';
import { GROUP_BY, GROUP_NAMES, type GroupDim } from './reportTypes';

export interface ReportChoice {
  period: Period;
  groupBy: GroupDim[];
  orgId?: string;
}

const COLUMN = { xs: 24, sm: 12, lg: 6 };
const GROUP_OPTIONS = GROUP_BY.map((value) => ({ value, label: GROUP_NAMES[value] }));
const HALF_OPTIONS = [
  { value: 'H1', label: '6 tháng đầu năm' },
  { value: 'H2', label: '6 tháng cuối năm' },
];
const quarterText = (value: Dayjs) => `Quý ${Math.floor(value.month() / 3) + 1}/${value.year()}`;

function Field({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <Col {...COLUMN}>
      <Form.Item label={label} htmlFor={id} style={{ marginBottom: 12 }}>
        {children}
      </Form.Item>
    </Col>
  );
}

/** One date picker of a month, a quarter or a year in its field. */
function PickerField({
  id,
  label,
  picker,
  format,
  value,
  onPick,
}: {
  id: string;
  label: string;
  picker: 'month' | 'quarter' | 'year';
  format: string | ((value: Dayjs) => string);
  value: Dayjs;
  onPick: (picked: Dayjs | null) => unknown;
}) {
  return (
    <Field id={id} label={label}>
      <DatePicker
        id={id}
        picker={picker}
        format={format}
        value={value}
        onChange={onPick}
        allowClear={false}
        style={{ width: '100%' }}
      />
    </Field>
  );
}

/** The picker of the period's value for its kind: a month, a quarter, a year and its half, or two days. */
function PeriodValue({ period, onChange }: { period: Period; onChange: (period: Period) => void }) {
  const kind = kindOf(period);
  const { from, to } = daysOf(period);
  const start = dayjs(from);
  const pick = (picked: Dayjs | null) =>
    picked && kind !== 'range' && onChange({ period: keyOf(kind, isoDay(picked)) });
  switch (kind) {
    case 'month':
      return (
        <PickerField id="report-month" label="Tháng" picker="month" format="MM/YYYY" value={start} onPick={pick} />
      );
    case 'quarter':
      return (
        <PickerField
          id="report-quarter"
          label="Quý"
          picker="quarter"
          format={quarterText}
          value={start}
          onPick={pick}
        />
      );
    case 'year':
      return <PickerField id="report-year" label="Năm" picker="year" format="YYYY" value={start} onPick={pick} />;
    case 'half':
      return (
        <>
          <PickerField
            id="report-year"
            label="Năm"
            picker="year"
            format="YYYY"
            value={start}
            onPick={(picked) => picked && onChange({ period: `${picked.year()}-${period.period?.slice(5)}` })}
          />
          <Field id="report-half" label="Nửa năm">
            <Select
              id="report-half"
              value={period.period?.slice(5)}
              options={HALF_OPTIONS}
              onChange={(half: string) => onChange({ period: `${start.year()}-${half}` })}
            />
          </Field>
        </>
      );
    case 'range':
      return (
        <Field id="report-from" label="Từ ngày – đến ngày">
          <DatePicker.RangePicker
            id={{ start: 'report-from', end: 'report-to' }}
            format="DD/MM/YYYY"
            value={[start, dayjs(to)]}
            allowClear={false}
            style={{ width: '100%' }}
            onChange={(days) => days?.[0] && days[1] && onChange({ from: isoDay(days[0]), to: isoDay(days[1]) })}
          />
        </Field>
      );
  }
}

/** Period, groups and reporting organisation; every change goes to the URL at once. */
export function ReportFilters({
  choice,
  onChange,
}: {
  choice: ReportChoice;
  onChange: (changes: Partial<ReportChoice>) => void;
}) {
  const me = useMe();
  return (
    <Form layout="vertical" component="div">
      <Row gutter={16}>
        <Field id="report-kind" label="Kỳ báo cáo">
          <Select
            id="report-kind"
            value={kindOf(choice.period)}
            options={PERIOD_KINDS}
            onChange={(kind) => onChange({ period: switchKind(choice.period, kind) })}
          />
        </Field>
        <PeriodValue period={choice.period} onChange={(period) => onChange({ period })} />
        <Field id="report-group" label="Nhóm theo">
          <Select
            id="report-group"
            mode="multiple"
            value={choice.groupBy}
            options={GROUP_OPTIONS}
            placeholder="Chỉ dòng tổng cộng"
            onChange={(groupBy: GroupDim[]) => onChange({ groupBy })}
          />
        </Field>
        <Field id="report-org" label="Đơn vị báo cáo">
          <OrgPicker
            id="report-org"
            value={choice.orgId}
            allowClear
            placeholder={me.org.name}
            style={{ width: '100%' }}
            onChange={(orgId) => onChange({ orgId })}
          />
        </Field>
      </Row>
    </Form>
  );
}
