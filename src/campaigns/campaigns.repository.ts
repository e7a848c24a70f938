import { findPage } from '../core/db/paging.js';
import type { ListQuery } from '../core/http/common-schemas.js';
import { vnDay } from '../core/shared/dates.js';
import { Campaign, type CampaignDoc } from './campaigns.model.js';

export type CampaignRecord = CampaignDoc;

export interface CampaignListFilter {
  /** Campaigns of these organisations (the caller's own province above them) … */
  orgIds: string[];
  /** … or anywhere in this subtree. */
  subtreeOf: string;
  programCode?: string;
  openOn?: string;
  searchKey?: RegExp;
}

export function isOpen(campaign: Pick<CampaignRecord, 'opensAt' | 'closesAt'>, day = vnDay()): boolean {
  return campaign.opensAt <= day && day <= campaign.closesAt;
}

export function campaignJSON(campaign: CampaignRecord): Record<string, unknown> {
  return {
    ...Campaign.hydrate(campaign).toJSON(),
    open: isOpen(campaign),
    remainingBudget: campaign.budget - (campaign.approvedAmount ?? 0),
  };
}

export const campaignsRepository = {
  async findById(id: string): Promise<CampaignRecord | null> {
    return Campaign.findById(id).lean<CampaignRecord>();
  },
  async insert(campaign: Omit<CampaignRecord, '_id' | 'createdAt' | 'updatedAt'>): Promise<CampaignRecord> {
    return (await Campaign.create(campaign)).toObject() as CampaignRecord;
  },
  async update(id: string, set: Partial<CampaignRecord>): Promise<CampaignRecord | null> {
    return Campaign.findOneAndUpdate({ _id: id }, { $set: set }, { returnDocument: 'after' }).lean<CampaignRecord>();
  },
  /** Approvals and revocations move the campaign's approved totals; one atomic $inc each. */
  async addApproved(id: string, amount: number, count: number): Promise<void> {
    await Campaign.updateOne({ _id: id }, { $inc: { approvedAmount: amount, approvedCount: count } });
  },
  async list(filter: CampaignListFilter, query: ListQuery) {
    const match: Record<string, unknown> = { $or: [{ orgId: { $in: filter.orgIds } }, { orgPath: filter.subtreeOf }] };
    if (filter.programCode) match.programCode = filter.programCode;
    if (filter.openOn) Object.assign(match, { opensAt: { $lte: filter.openOn }, closesAt: { $gte: filter.openOn } });
    if (filter.searchKey) match.searchKey = filter.searchKey;
    return findPage(Campaign, match, query, (doc) => campaignJSON(doc.toObject() as unknown as CampaignRecord));
  },
};
