import { NotFoundError, ValidationError } from '../core/errors.js';
import { assertInScope, type Principal } from '../core/scope.js';
import { campaignsRepository, getVisibleCampaign, type CampaignRecord } from '../campaigns/index.js';
import { effectiveRules, findProgram, provinceIdOf, type ProgramData, type ProgramRules } from '../programs/index.js';
import { casesRepository, type CaseRecord } from './cases.repository.js';

const WHAT = 'hồ sơ';

/** A case in the caller's subtree, or 404 (SPEC §2). */
export async function getCaseInScope(principal: Principal, id: string): Promise<CaseRecord> {
  const record = await casesRepository.findById(id);
  if (!record) throw new NotFoundError(WHAT);
  return caseInScope(principal, record);
}

/** A case the caller already read, checked to be in their subtree (404 otherwise). */
export function caseInScope(principal: Principal, record: CaseRecord): CaseRecord {
  assertInScope(principal, record.orgPath.map(String), WHAT);
  return record;
}

export interface ProgramContext {
  program: ProgramData;
  /** The program's rules as the case's province has set them. */
  rules: ProgramRules;
  campaign: CampaignRecord | null;
}

export async function programContextOf(
  record: Pick<CaseRecord, 'programCode' | 'orgPath' | 'campaignId'>,
): Promise<ProgramContext> {
  const program = await findProgram(record.programCode);
  const rules = await effectiveRules(program, provinceIdOf(record.orgPath));
  const campaign = record.campaignId ? await campaignsRepository.findById(String(record.campaignId)) : null;
  return { program, rules, campaign };
}

/*
 * The rules a new case and an imported list both meet (cases.service.ts for one case, batches/list-context.ts
 * once for a whole list); a paused program is `assertProgramOpen` / `openProgram` of programs.
 */

/** A program with one kind of support (Tết gift) needs no subtype; otherwise it must be one of its kinds. */
export function subtypeFor(rules: Pick<ProgramRules, 'maxAmount'>, subtype: string | undefined): string {
  const kinds = Object.keys(rules.maxAmount);
  const chosen = subtype ?? (kinds.length === 1 ? kinds[0] : undefined);
  if (!chosen || !kinds.includes(chosen)) {
    throw new ValidationError([{ path: 'subtype', message: `Loại hỗ trợ phải là một trong: ${kinds.join(', ')}` }]);
  }
  return chosen;
}

/**
 * The campaign must be of the same program and of the union's province; without one, the program must not
 * require it (a national rule: provinces cannot change it).
 */
export async function campaignFor(
  principal: Principal,
  program: ProgramData,
  campaignId: string | null | undefined,
  provinceId: string | null,
): Promise<CampaignRecord | null> {
  if (!campaignId) {
    if (program.rules.requiresCampaign) {
      throw new ValidationError([{ path: 'campaignId', message: 'Chương trình này yêu cầu chọn đợt hỗ trợ' }]);
    }
    return null;
  }
  const campaign = await getVisibleCampaign(principal, campaignId).catch(() => {
    throw new ValidationError([{ path: 'campaignId', message: 'Không tìm thấy đợt hỗ trợ' }]);
  });
  if (campaign.programCode !== program.code || String(campaign.orgId) !== provinceId) {
    throw new ValidationError([
      { path: 'campaignId', message: 'Đợt hỗ trợ không thuộc chương trình này hoặc không thuộc tỉnh của công đoàn' },
    ]);
  }
  return campaign;
}
