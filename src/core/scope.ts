import { ForbiddenError, NotFoundError } from './errors.js';
import type { Role } from './shared/roles.js';

/** Who is calling: read from the database on every request, so a disabled user stops at once. */
export interface Principal {
  userId: string;
  username: string;
  fullName: string;
  orgId: string;
  /** Ids of the caller's organisation and all its ancestors, root first. */
  orgPath: string[];
  roles: Role[];
}

/** Who did something, as the history and the audit log record it. */
export interface Actor {
  userId: string;
  name: string;
  requestId: string;
}

/**
 * The scope rule of SPEC §2, in one place: a caller sees and changes only objects whose organisation lies
 * in the subtree of its own. Every stored object that belongs to an organisation keeps `orgPath` (the ids
 * from the root to that organisation), so "in my subtree" is one indexed match on my organisation id.
 */
export function subtreeFilter(principal: Principal): { orgPath: string } {
  return { orgPath: principal.orgId };
}

export function isInScope(principal: Principal, orgPath: readonly string[] | undefined): boolean {
  return !!orgPath && orgPath.map(String).includes(principal.orgId);
}

/** Outside scope answers 404, so ids cannot be probed (SPEC §2). */
export function assertInScope(principal: Principal, orgPath: readonly string[] | undefined, what: string): void {
  if (!isInScope(principal, orgPath)) throw new NotFoundError(what);
}

export function hasRole(principal: Principal, ...roles: Role[]): boolean {
  return roles.some((role) => principal.roles.includes(role));
}

/** Inside scope without the needed role answers 403. */
export function assertRole(principal: Principal, roles: readonly Role[]): void {
  if (!hasRole(principal, ...roles)) throw new ForbiddenError();
}
