import { ValidationError, AppError } from '../core/errors.js';
import type { Principal } from '../core/scope.js';
import { getVisibleCampaign, type CampaignRecord } from '../campaigns/index.js';
import { effectiveRules, findProgram, provinceIdOf, type ProgramData, type ProgramRules } from '../programs/index.js';

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
 * `createCase` applies to each case again: a wrong campaign is one 400, not five thousand row errors.
 */
export async function listContextOf(principal: Principal, input: ImportInput): Promise<ListContext> {
  const program = await findProgram(input.programCode).catch(() => {
    throw new ValidationError([{ path: 'programCode', message: 'Chương trình không tồn tại' }]);
  });
  if (!program.active)
    throw new AppError(422, 'NOT_ELIGIBLE', `Chương trình "${program.name}" đang tạm dừng nhận hồ sơ.`);
  const provinceId = provinceIdOf(principal.orgPath);
  const rules = await effectiveRules(program, provinceId);
  const kinds = Object.keys(rules.maxAmount);
  const subtype = input.subtype ?? (kinds.length === 1 ? kinds[0] : undefined);
  if (!subtype || !kinds.includes(subtype)) {
    throw new ValidationError([{ path: 'subtype', message: `Loại hỗ trợ phải là một trong: ${kinds.join(', ')}` }]);
  }
  let campaign: CampaignRecord | null = null;
  if (input.campaignId) {
    campaign = await getVisibleCampaign(principal, input.campaignId).catch(() => {
      throw new ValidationError([{ path: 'campaignId', message: 'Không tìm thấy đợt hỗ trợ' }]);
    });
    if (campaign.programCode !== program.code || String(campaign.orgId) !== provinceId) {
      throw new ValidationError([
        { path: 'campaignId', message: 'Đợt hỗ trợ không thuộc chương trình này hoặc không thuộc tỉnh của công đoàn' },
      ]);
    }
  } else if (rules.requiresCampaign) {
    throw new ValidationError([{ path: 'campaignId', message: 'Chương trình này yêu cầu chọn đợt hỗ trợ' }]);
  }
  return { program, rules, subtype, campaign, cap: rules.maxAmount[subtype] ?? 0 };
}
