export { orgRoutes } from './orgs.routes.js';
export { getOrgInScope } from './orgs.service.js';
export { orgsRepository, type OrgRecord } from './orgs.repository.js';
export { displayName } from './org-history.js';
