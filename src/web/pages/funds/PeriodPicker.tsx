import { DatePicker, Flex } from 'antd';
import dayjs from 'dayjs';
import { useId } from 'react';
import { isoDay } from '../../lib/format';

export interface Period {
  from?: string;
  to?: string;
}

/**
 * A from–to period as two labelled day pickers (dd/mm/yyyy), either end optional: each end applies as soon
 * as it is picked, which one range picker with a half-filled range would not do.
 */
export function PeriodPicker({
  value,
  onChange,
  labels = ['Từ ngày', 'Đến ngày'],
}: {
  value: Period;
  onChange: (period: Period) => void;
  labels?: [string, string];
}) {
  const id = useId();
  const pick = (key: keyof Period) => (day: dayjs.Dayjs | null) =>
    onChange({ ...value, [key]: day ? isoDay(day) : undefined });
  return (
    <Flex gap={8} wrap align="center">
      {(['from', 'to'] as const).map((key, i) => (
        <Flex key={key} gap={6} align="center">
          <label htmlFor={`${id}-${key}`}>{labels[i]}</label>
          <DatePicker
            id={`${id}-${key}`}
            format="DD/MM/YYYY"
            placeholder="dd/mm/yyyy"
            value={value[key] ? dayjs(value[key]) : null}
            onChange={pick(key)}
            style={{ width: 140 }}
          />
        </Flex>
      ))}
    </Flex>
  );
}
