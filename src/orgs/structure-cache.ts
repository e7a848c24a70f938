import { ShortCache } from '../core/short-cache.js';

/**
 * Who verifies each grassroots union's cases, as read at most five seconds ago, for what a case *shows* (the
 * actions offered on a case page): the steps themselves read the tree as it is now. Writes of organisations made
 * through this process (orgs repository, reorganisation steps) forget it at once.
 */
export const verifierShown = new ShortCache<string | null>(5_000);

/** Forgets what was read of the tree (after a write of organisations). */
export function forgetOrgStructure(): void {
  verifierShown.clear();
}
