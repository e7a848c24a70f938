/**
 * Approval commits the approved amount to the province's funds (SPEC §7), so every test that approves a
 * case needs a fund of the case's province. One roomy fund per province is arranged once through the API
 * (by the province's accountant) and looked up by province id when an approval body is built.
 */
import { Types } from 'mongoose';
import { arrange } from './api.js';
import { unique, type ProvinceTree } from './factory.js';

/** Room for every approval a test file makes in its province. */
const ROOMY = 1_000_000_000_000;

const fundOf = new Map<string, string>();
const arranging = new Map<string, Promise<string>>();

/** The province's test fund, created on first use; answers its id. */
export function provinceFund(tree: ProvinceTree): Promise<string> {
  const provinceId = tree.province.id;
  let fund = arranging.get(provinceId);
  if (!fund) {
    fund = arrange<{ id: string }>(
      tree.sessions.accountant.post('/api/v1/funds', {
        code: unique('QXH'),
        name: 'Quỹ Xã hội (kiểm thử)',
        kind: 'social_fund',
        year: 2026,
        allocated: ROOMY,
      }),
    ).then((created) => {
      fundOf.set(provinceId, created.id);
      return created.id;
    });
    arranging.set(provinceId, fund);
  }
  return fund;
}

/**
 * `fundAllocations` of an approval body: the whole amount from the province's test fund. A province with
 * no arranged fund gets an id that names nothing, so a test that forgot `provinceFund` fails on it loudly.
 */
export function allocationsFor(provinceId: string | undefined, amount: number): { fundId: string; amount: number }[] {
  const fundId = (provinceId && fundOf.get(provinceId)) || new Types.ObjectId().toHexString();
  return [{ fundId, amount }];
}
