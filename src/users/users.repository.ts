import { findPage } from '../core/db/paging.js';
import type { ListQuery } from '../core/http/common-schemas.js';
import { User, type UserDoc } from './users.model.js';

export type UserRecord = UserDoc;

export interface UserListFilter {
  subtreeOf: string;
  orgId?: string;
  role?: string;
  active?: boolean;
  searchKey?: RegExp;
}

export const usersRepository = {
  async findById(id: string): Promise<UserRecord | null> {
    return User.findById(id).lean<UserRecord>();
  },
  async findByUsername(username: string): Promise<UserRecord | null> {
    return User.findOne({ username: username.toLowerCase() }).lean<UserRecord>();
  },
  async insert(user: Omit<UserRecord, '_id' | 'createdAt' | 'updatedAt'>): Promise<UserRecord> {
    const created = await User.create(user);
    return created.toObject() as UserRecord;
  },
  /** `bumpSession` ends every session of the user (access and refresh tokens carry the old version). */
  async update(id: string, changes: Partial<UserRecord>, bumpSession: boolean): Promise<UserRecord | null> {
    const update = bumpSession ? { $set: changes, $inc: { sessionVersion: 1 } } : { $set: changes };
    return User.findOneAndUpdate({ _id: id }, update, { returnDocument: 'after' }).lean<UserRecord>();
  },
  async touchLogin(id: string): Promise<void> {
    await User.updateOne({ _id: id }, { $set: { lastLoginAt: new Date() } });
  },
  async list(filter: UserListFilter, query: ListQuery) {
    const match: Record<string, unknown> = { orgPath: filter.subtreeOf };
    if (filter.orgId) match.orgId = filter.orgId;
    if (filter.role) match.roles = filter.role;
    if (filter.active !== undefined) match.active = filter.active;
    if (filter.searchKey) match.searchKey = filter.searchKey;
    return findPage(User, match, query);
  },
  toJSON(user: UserRecord): Record<string, unknown> {
    return User.hydrate(user).toJSON();
  },
};
