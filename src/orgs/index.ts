export { orgRoutes } from './orgs.routes.js';
export { getOrgInScope } from './orgs.service.js';
export { orgsRepository, type OrgRecord } from './orgs.repository.js';
export { directUpperUnionId } from '../core/shared/org-levels.js';
export { directUpperUnionOf, grassrootsVerifiedBy } from './direct-upper-union.js';
export { displayName } from './org-history.js';
export { orgStatus as orgStatusMigration } from './migrations/2026-12-org-status.js';
