import mongoose from 'mongoose';
import { findPage } from '../core/db/paging.js';
import type { ListQuery } from '../core/http/common-schemas.js';
import { kindOf } from '../core/shared/org-levels.js';
import type { OrgHistoryEntry } from './org-history.js';
import { Org, type OrgDoc } from './orgs.model.js';
import { forgetOrgStructure } from './structure-cache.js';

export type OrgRecord = OrgDoc;

export interface OrgListFilter {
  subtreeOf: string;
  level?: string;
  parentId?: string;
  searchKey?: RegExp;
}

export const orgsRepository = {
  newId(): mongoose.Types.ObjectId {
    return new mongoose.Types.ObjectId();
  },
  async findById(id: string): Promise<OrgRecord | null> {
    return Org.findById(id).lean<OrgRecord>();
  },
  async findByCode(code: string): Promise<OrgRecord | null> {
    return Org.findOne({ code }).lean<OrgRecord>();
  },
  /** `kind`, `delegations`, `status`, `history` and the reorganisation fields take their schema defaults when not given. */
  async insert(
    org: Omit<OrgRecord, 'createdAt' | 'updatedAt' | 'kind' | 'delegations' | 'status' | 'history'> &
      Partial<Pick<OrgRecord, 'kind' | 'delegations' | 'status' | 'history'>>,
  ): Promise<OrgRecord> {
    const created = await Org.create(org);
    forgetOrgStructure();
    return created.toObject() as OrgRecord;
  },
  /** `history`: an entry to append (a rename), in the same update. */
  async update(id: string, changes: Partial<OrgRecord>, history?: OrgHistoryEntry): Promise<OrgRecord | null> {
    try {
      return await Org.findOneAndUpdate(
        { _id: id },
        { $set: changes, ...(history ? { $push: { history } } : {}) },
        { returnDocument: 'after' },
      ).lean<OrgRecord>();
    } finally {
      forgetOrgStructure();
    }
  },
  async list(filter: OrgListFilter, query: ListQuery) {
    const match: Record<string, unknown> = { orgPath: filter.subtreeOf };
    if (filter.level) match.level = filter.level;
    if (filter.parentId) match.parentId = filter.parentId;
    if (filter.searchKey) match.searchKey = filter.searchKey;
    return findPage(Org, match, query);
  },
  /** Every organisation of a subtree with what the structure rules read (the direct upper union, the tree). */
  async structureOfSubtree(rootId: string): Promise<OrgRecord[]> {
    return Org.find({ orgPath: rootId }, { level: 1, parentId: 1, orgPath: 1, kind: 1, delegations: 1 }).lean<
      OrgRecord[]
    >();
  },
  toJSON(org: OrgRecord): Record<string, unknown> {
    return { ...Org.hydrate(org).toJSON(), kind: kindOf(org) };
  },
};
