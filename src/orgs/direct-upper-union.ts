import { directUpperUnionId } from '../core/shared/org-levels.js';
import { orgsRepository, type OrgRecord } from './orgs.repository.js';
import { verifierShown } from './structure-cache.js';

/**
 * The direct upper union of a grassroots union (SPEC §2), read from the tree as it is now: nothing stores it,
 * so a moved union, or a commune union given or denied `verify`, is verified where it now belongs at once.
 */
export async function directUpperUnionOf(orgId: string): Promise<string | null> {
  const org = await orgsRepository.findById(orgId);
  if (!org?.parentId) return null;
  return directUpperUnionId(org, await orgsRepository.findById(String(org.parentId)));
}

/**
 * `directUpperUnionOf` as read at most five seconds ago (structure-cache.ts): only for what a case page offers,
 * never for deciding whether a step is allowed.
 */
export function shownVerifierOf(orgId: string): Promise<string | null> {
  return verifierShown.get(orgId, () => directUpperUnionOf(orgId));
}

/**
 * The grassroots unions whose direct upper union is `verifierOrgId` (Việc cần làm, `GET /cases?verifierOrgId=`):
 * one read of the organisations under it, each judged by the same rule as `directUpperUnionOf`. A province reads
 * its whole tree (hundreds of organisations, a few fields each); its grassroots unions under an upper union or a
 * verifying commune union are left out.
 */
export async function grassrootsVerifiedBy(verifierOrgId: string): Promise<string[]> {
  const orgs = await orgsRepository.structureOfSubtree(verifierOrgId);
  const byId = new Map<string, OrgRecord>(orgs.map((org) => [String(org._id), org]));
  return orgs
    .filter(
      (org) =>
        org.level === 'grassroots' && directUpperUnionId(org, byId.get(String(org.parentId)) ?? null) === verifierOrgId,
    )
    .map((org) => String(org._id));
}
