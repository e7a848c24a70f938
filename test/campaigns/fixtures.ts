import { createProvinceTree, unique, type ProvinceTree } from '../support/factory.js';

let province: Promise<ProvinceTree> | undefined;

/** The province the campaign tests work in, built once for the folder; each test makes its own campaigns. */
export function campaignsProvince(): Promise<ProvinceTree> {
  province ??= createProvinceTree();
  return province;
}

export interface CampaignJson {
  id: string;
  code: string;
  programCode: string;
  name: string;
  opensAt: string;
  closesAt: string;
  budget: number;
  approvedAmount: number;
  approvedCount: number;
  remainingBudget: number;
  open: boolean;
  orgId: string;
  orgPath: string[];
}

/** A calendar day relative to today, far enough from the boundary that time zones cannot move it across. */
export function day(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

export function campaignBody(overrides: Record<string, unknown> = {}) {
  return {
    code: unique('TET-'),
    programCode: 'tet_gift',
    name: 'Tết Bính Ngọ 2026',
    opensAt: day(-30),
    closesAt: day(30),
    budget: 500_000_000,
    ...overrides,
  };
}
