import { leanDocuments } from '../core/db/lean-insert.js';
import { onlyDuplicateKeys } from '../core/db/mongo-errors.js';
import { findPage } from '../core/db/paging.js';
import type { ListQuery } from '../core/http/common-schemas.js';
import { Member, type MemberDoc } from './members.model.js';
import { maskMember } from '../core/shared/masking.js';

export type MemberRecord = MemberDoc;

export interface MemberListFilter {
  subtreeOf: string;
  orgId?: string;
  citizenId?: string;
  searchName?: RegExp;
  gender?: string;
}

export const membersRepository = {
  async findById(id: string): Promise<MemberRecord | null> {
    return Member.findById(id).lean<MemberRecord>();
  },
  /** Many members in one query, in no particular order. */
  async findByIds(ids: readonly string[]): Promise<MemberRecord[]> {
    return ids.length ? Member.find({ _id: { $in: ids } }).lean<MemberRecord[]>() : [];
  },
  async findByCitizenId(citizenId: string): Promise<MemberRecord | null> {
    return Member.findOne({ citizenId }).lean<MemberRecord>();
  },
  /** One query for a whole imported list. */
  async findByCitizenIds(citizenIds: readonly string[]): Promise<MemberRecord[]> {
    if (!citizenIds.length) return [];
    return Member.find({ citizenId: { $in: citizenIds } }).lean<MemberRecord[]>();
  },
  async insert(member: Omit<MemberRecord, '_id' | 'createdAt' | 'updatedAt'>): Promise<MemberRecord> {
    const created = await Member.create(member);
    return created.toObject() as MemberRecord;
  },
  /**
   * Inserts many at once. A document a unique index refuses (a CCCD taken meanwhile) is left out of the answer
   * and the others are still inserted; any other failure throws. The documents are stored as mongoose stores a
   * member (core/db/lean-insert.ts), without a mongoose document each; the first is validated by the schema.
   */
  async insertMany(members: readonly Omit<MemberRecord, 'createdAt' | 'updatedAt'>[]): Promise<MemberRecord[]> {
    if (!members.length) return [];
    const docs = (await leanDocuments(Member, members)) as unknown as MemberRecord[];
    try {
      await Member.insertMany(docs, { ordered: false, lean: true });
      return docs;
    } catch (error) {
      if (!onlyDuplicateKeys(error)) throw error;
      return Member.find({ _id: { $in: members.map((m) => m._id) } }).lean<MemberRecord[]>();
    }
  },
  async update(id: string, set: Record<string, unknown>, unset: string[]): Promise<MemberRecord | null> {
    const update: Record<string, unknown> = { $set: set };
    if (unset.length) update.$unset = Object.fromEntries(unset.map((path) => [path, 1]));
    return Member.findOneAndUpdate({ _id: id }, update, { returnDocument: 'after' }).lean<MemberRecord>();
  },
  /** Lists never carry full CCCD or account numbers. */
  async list(filter: MemberListFilter, query: ListQuery) {
    const match: Record<string, unknown> = { orgPath: filter.subtreeOf };
    if (filter.orgId) match.orgPath = { $all: [filter.subtreeOf, filter.orgId] };
    if (filter.citizenId) match.citizenId = filter.citizenId;
    if (filter.searchName) match.searchName = filter.searchName;
    if (filter.gender) match.gender = filter.gender;
    // Names sort by their form without diacritics, so "Đặng" sits with the D names, not after Z.
    const sort = query.sort.replace('fullName', 'searchName');
    return findPage(Member, match, { ...query, sort }, (doc) => maskMember(doc.toJSON() as Record<string, unknown>));
  },
  toJSON(member: MemberRecord): Record<string, unknown> {
    return Member.hydrate(member).toJSON() as Record<string, unknown>;
  },
};
