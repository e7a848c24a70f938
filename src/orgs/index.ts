export { orgRoutes } from './orgs.routes.js';
export { getOrgInScope } from './orgs.service.js';
export { orgsRepository, type OrgRecord } from './orgs.repository.js';
export { directUpperUnionId } from '../core/org-levels.js';
export { directUpperUnionOf, grassrootsVerifiedBy } from './direct-upper-union.js';
