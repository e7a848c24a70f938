import { ConflictError, NotFoundError, ValidationError } from '../core/errors.js';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
import type { ListQuery } from '../core/http/common-schemas.js';
import { isInScope, type Principal } from '../core/scope.js';
import { escapeRegex, searchKey } from '../core/search-text.js';
import { vnDay } from '../core/shared/dates.js';
import { getOrgInScope } from '../orgs/index.js';
import { programNamedIn } from '../programs/index.js';
import { campaignsRepository, type CampaignRecord } from './campaigns.repository.js';

const WHAT = 'đợt hỗ trợ';

export interface CampaignInput {
  code: string;
  programCode: string;
  name: string;
  opensAt: string;
  closesAt: string;
  budget: number;
  orgId?: string;
}

/**
 * Who sees a campaign: everyone below its province (a grassroots officer picks the Tết campaign of the
 * province above), and anyone whose subtree contains it.
 */
function isVisible(principal: Principal, campaign: CampaignRecord): boolean {
  return principal.orgPath.includes(String(campaign.orgId)) || isInScope(principal, campaign.orgPath.map(String));
}

export async function getVisibleCampaign(principal: Principal, id: string): Promise<CampaignRecord> {
  const campaign = await campaignsRepository.findById(id);
  if (!campaign || !isVisible(principal, campaign)) throw new NotFoundError(WHAT);
  return campaign;
}

/** Changes are made by approvers of the campaign's own province. */
async function getManagedCampaign(principal: Principal, id: string): Promise<CampaignRecord> {
  const campaign = await campaignsRepository.findById(id);
  if (!campaign || !isInScope(principal, campaign.orgPath.map(String))) throw new NotFoundError(WHAT);
  return campaign;
}

function checkDates(opensAt: string, closesAt: string): void {
  if (closesAt < opensAt)
    throw new ValidationError([{ path: 'closesAt', message: 'Ngày kết thúc phải sau ngày bắt đầu' }]);
}

export async function createCampaign(principal: Principal, input: CampaignInput): Promise<CampaignRecord> {
  const province = await getOrgInScope(principal, input.orgId ?? principal.orgId);
  if (province.level !== 'province') {
    throw new ValidationError([{ path: 'orgId', message: 'Đợt hỗ trợ thuộc một LĐLĐ tỉnh, thành phố' }]);
  }
  const program = await programNamedIn(input.programCode);
  checkDates(input.opensAt, input.closesAt);
  try {
    return await campaignsRepository.insert({
      code: input.code,
      programCode: program.code,
      name: input.name,
      opensAt: input.opensAt,
      closesAt: input.closesAt,
      budget: input.budget,
      orgId: province._id,
      orgPath: province.orgPath,
      approvedAmount: 0,
      approvedCount: 0,
      searchKey: searchKey(`${input.code} ${input.name}`),
      createdBy: { id: principal.userId, name: principal.fullName },
    });
  } catch (error) {
    if (isDuplicateKeyError(error)) {
      throw new ConflictError('CONFLICT', `Mã đợt "${input.code}" đã tồn tại.`, {
        errors: [{ path: 'code', message: 'Mã đợt đã tồn tại' }],
      });
    }
    throw error;
  }
}

export type CampaignChanges = Partial<Pick<CampaignInput, 'name' | 'opensAt' | 'closesAt' | 'budget'>>;

export async function updateCampaign(
  principal: Principal,
  id: string,
  changes: CampaignChanges,
): Promise<CampaignRecord> {
  const campaign = await getManagedCampaign(principal, id);
  checkDates(changes.opensAt ?? campaign.opensAt, changes.closesAt ?? campaign.closesAt);
  const set: Partial<CampaignRecord> = { ...changes };
  if (changes.name) set.searchKey = searchKey(`${campaign.code} ${changes.name}`);
  const updated = await campaignsRepository.update(id, set);
  if (!updated) throw new NotFoundError(WHAT);
  return updated;
}

export interface CampaignListQuery extends ListQuery {
  programCode?: string;
  open?: boolean;
  q?: string;
}

export async function listCampaigns(principal: Principal, query: CampaignListQuery) {
  return campaignsRepository.list(
    {
      orgIds: principal.orgPath,
      subtreeOf: principal.orgId,
      programCode: query.programCode,
      openOn: query.open ? vnDay() : undefined,
      searchKey: query.q ? new RegExp(escapeRegex(searchKey(query.q))) : undefined,
    },
    query,
  );
}
