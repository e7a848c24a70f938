import type { Principal } from '../core/scope.js';
import type { CampaignRecord } from '../campaigns/index.js';
import { campaignFor, subtypeFor } from '../cases/index.js';
import { effectiveRules, openProgram, provinceIdOf, type ProgramData, type ProgramRules } from '../programs/index.js';

export interface ImportInput {
  programCode: string;
  campaignId?: string;
  subtype?: string;
}

/** What every row of a list shares: the program and its rules for the union's province, the kind of support, the campaign. */
export interface ListContext {
  program: ProgramData;
  rules: ProgramRules;
  subtype: string;
  campaign: CampaignRecord | null;
  cap: number;
}

/**
 * The list's program, subtype and campaign are checked once, before the file is read, with the rules that
 * `createCase` applies to one case (`openProgram`, `subtypeFor`, `campaignFor`): a wrong campaign is one 400,
 * not five thousand row errors.
 */
export async function listContextOf(principal: Principal, input: ImportInput): Promise<ListContext> {
  const program = await openProgram(input.programCode);
  const provinceId = provinceIdOf(principal.orgPath);
  const rules = await effectiveRules(program, provinceId);
  const subtype = subtypeFor(rules, input.subtype);
  const campaign = await campaignFor(principal, program, input.campaignId, provinceId);
  return { program, rules, subtype, campaign, cap: rules.maxAmount[subtype] ?? 0 };
}
