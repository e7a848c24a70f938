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
  /**
   * Approvals and revocations move the campaign's approved totals once, under their mark (a list approval's chunk, a
   * single approval's or revocation's run): the mark goes in with the `$inc` (kept until the list's job ends, or an
   * hour after the run ended), so work finished again after a crash does not count twice.
   */
  async addApprovedOnce(id: string, amount: number, count: number, mark: string): Promise<void> {
    await Campaign.updateOne(
      { _id: id, approveRuns: { $ne: mark } },
      { $inc: { approvedAmount: amount, approvedCount: count }, $push: { approveRuns: mark } },
    );
  },
  /**
   * The campaigns that hold marks of single approvals or revocations (their run's id, an ObjectId's 24 hex digits) of
   * runs begun before `cutoff` (an ObjectId's hex), with those marks. A list chunk's marks (`<job>:<chunk>`) are never
   * among them.
   */
  async stepMarksBefore(cutoff: string): Promise<{ id: string; marks: string[] }[]> {
    const campaigns = await Campaign.find({ 'approveRuns.0': { $exists: true } }, { approveRuns: 1 }).lean();
    return campaigns
      .map((campaign) => ({
        id: String(campaign._id),
        marks: (campaign.approveRuns ?? []).filter((m) => /^[0-9a-f]{24}$/.test(m) && m < cutoff),
      }))
      .filter((campaign) => campaign.marks.length);
  },
  /** Marks go from a campaign (without touching `updatedAt`: the marks are the service's own bookkeeping). */
  async pullMarks(id: string, marks: readonly string[]): Promise<void> {
    await Campaign.updateOne({ _id: id }, { $pullAll: { approveRuns: [...marks] } }, { timestamps: false });
  },
  /** A list approval's job ended: the marks of its chunks (all beginning with `prefix`) go. */
  async dropApproveMarks(ids: readonly string[], prefix: string): Promise<void> {
    for (const campaign of await Campaign.find({ _id: { $in: ids } }, { approveRuns: 1 }).lean()) {
      const marks = (campaign.approveRuns ?? []).filter((m) => m.startsWith(prefix));
      if (marks.length) await Campaign.updateOne({ _id: campaign._id }, { $pullAll: { approveRuns: marks } });
    }
  },
  async list(filter: CampaignListFilter, query: ListQuery) {
    const match: Record<string, unknown> = { $or: [{ orgId: { $in: filter.orgIds } }, { orgPath: filter.subtreeOf }] };
    if (filter.programCode) match.programCode = filter.programCode;
    if (filter.openOn) Object.assign(match, { opensAt: { $lte: filter.openOn }, closesAt: { $gte: filter.openOn } });
    if (filter.searchKey) match.searchKey = filter.searchKey;
    return findPage(Campaign, match, query, (doc) => campaignJSON(doc.toObject() as unknown as CampaignRecord));
  },
};
