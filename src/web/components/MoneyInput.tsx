import { InputNumber, type InputNumberProps } from 'antd';
import { formatMoneyInput, parseMoney } from '../lib/format';

/** An integer VND amount typed with Vietnamese grouping (`50.000.000`) and the unit shown after it. */
export function MoneyInput(props: Omit<InputNumberProps<number>, 'formatter' | 'parser'>) {
  return (
    <InputNumber<number>
      min={0}
      step={100_000}
      style={{ width: '100%' }}
      suffix="đ"
      inputMode="numeric"
      formatter={(value) => formatMoneyInput(value)}
      parser={(text) => parseMoney(text)}
      {...props}
    />
  );
}
