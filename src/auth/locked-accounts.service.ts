import { recordAudit } from '../audit/index.js';
import { NotFoundError } from '../core/errors.js';
import { isInScope, type Actor, type Principal } from '../core/scope.js';
import { usersRepository, type UserRecord } from '../users/index.js';
import { lockedPairs, throttleKeys, unlockPair, type LockedPair } from './login-throttle.js';

export interface LockedAccount extends LockedPair {
  user: { id: string; fullName: string; orgId: string } | null;
}

/**
 * A locked pair is shown to the administrators whose subtree holds its user; a username that names no
 * one (guessing) only to the administrators of the root organisation.
 */
function visibleTo(principal: Principal, user: UserRecord | null): boolean {
  return user ? isInScope(principal, user.orgPath.map(String)) : principal.orgPath.length === 1;
}

async function usersByName(usernames: readonly string[]): Promise<Map<string, UserRecord | null>> {
  const unique = [...new Set(usernames)];
  const users = await Promise.all(unique.map((name) => usersRepository.findByUsername(name)));
  return new Map(unique.map((name, i) => [name, users[i] ?? null]));
}

export async function listLockedAccounts(principal: Principal): Promise<LockedAccount[]> {
  const pairs = await lockedPairs();
  const users = await usersByName(pairs.map((pair) => pair.username));
  return pairs
    .filter((pair) => visibleTo(principal, users.get(pair.username) ?? null))
    .map((pair) => {
      const user = users.get(pair.username) ?? null;
      return {
        ...pair,
        user: user ? { id: String(user._id), fullName: user.fullName, orgId: String(user.orgId) } : null,
      };
    });
}

/** Ends the lock of one username × address pair; audited (`auth.unlock`). A pair outside scope is 404. */
export async function unlockAccount(
  principal: Principal,
  actor: Actor,
  username: string,
  address: string,
): Promise<void> {
  const keys = throttleKeys(username, address);
  const user = await usersRepository.findByUsername(keys.username);
  if (!visibleTo(principal, user) || !(await unlockPair(keys)))
    throw new NotFoundError('cặp tài khoản và địa chỉ đang bị khóa');
  await recordAudit({
    action: 'auth.unlock',
    entity: 'login',
    entityId: keys.username,
    actor,
    orgPath: user ? user.orgPath : [],
    details: { username: keys.username, address: keys.address, userId: user ? String(user._id) : null },
  });
}
