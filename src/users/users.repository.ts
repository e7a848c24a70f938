import { findPage } from '../core/db/paging.js';
import type { ListQuery } from '../core/http/common-schemas.js';
import { ShortCache } from '../core/short-cache.js';
import { User, type UserDoc } from './users.model.js';

export type UserRecord = UserDoc;

export interface UserListFilter {
  subtreeOf: string;
  orgId?: string;
  role?: string;
  active?: boolean;
  searchKey?: RegExp;
}

/**
 * The user as an authenticated request checks it (active, session version, roles, organisation), kept one second:
 * every write of a user through this process forgets it at once (`forgetUsers`), so a user disabled, given other
 * roles or signed out everywhere is refused by this instance on the next request and by any other instance within
 * a second (docs/benchmarks.md, "Request path").
 */
const signedIn = new ShortCache<UserRecord | null>(1_000);

/** Forgets every cached user: to call after writing users other than through this repository (reorganisations). */
export function forgetUsers(): void {
  signedIn.clear();
}

export const usersRepository = {
  async findById(id: string): Promise<UserRecord | null> {
    return User.findById(id).lean<UserRecord>();
  },
  /** The user as read at most a second ago (see `signedIn`): for the check of each authenticated request. */
  async findSignedIn(id: string): Promise<UserRecord | null> {
    return signedIn.get(id, () => User.findById(id).lean<UserRecord>());
  },
  async findByUsername(username: string): Promise<UserRecord | null> {
    return User.findOne({ username: username.toLowerCase() }).lean<UserRecord>();
  },
  async insert(user: Omit<UserRecord, '_id' | 'createdAt' | 'updatedAt'>): Promise<UserRecord> {
    const created = await User.create(user);
    forgetUsers();
    return created.toObject() as UserRecord;
  },
  /** `bumpSession` ends every session of the user (access and refresh tokens carry the old version). */
  async update(id: string, changes: Partial<UserRecord>, bumpSession: boolean): Promise<UserRecord | null> {
    const update = bumpSession ? { $set: changes, $inc: { sessionVersion: 1 } } : { $set: changes };
    forgetUsers();
    try {
      return await User.findOneAndUpdate({ _id: id }, update, { returnDocument: 'after' }).lean<UserRecord>();
    } finally {
      // Also after the write: a request that read the user while it was being written must not keep the old state.
      forgetUsers();
    }
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
