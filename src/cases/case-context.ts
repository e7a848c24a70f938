import { NotFoundError } from '../core/errors.js';
import { assertInScope, type Principal } from '../core/scope.js';
import { campaignsRepository, type CampaignRecord } from '../campaigns/index.js';
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
