import type { Rule } from 'antd/es/form';
import { money } from '../../lib/format';

/** A money field's rules: required, positive and within the program's cap (checked before sending, SPEC §4). */
export function amountRules(requiredMessage: string, cap: number | undefined): Rule[] {
  return [
    { required: true, message: requiredMessage },
    { type: 'number', min: 1, message: 'Số tiền phải lớn hơn 0' },
    {
      validator: async (_, value?: number) => {
        if (cap !== undefined && value !== undefined && value > cap)
          throw new Error(`Không được vượt mức tối đa ${money(cap)}`);
      },
    },
  ];
}
