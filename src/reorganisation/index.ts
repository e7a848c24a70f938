export { reorganisationRoutes } from './reorganisation.routes.js';
export { resumeReorganisations, runOperation } from './executor.js';
export { checkOrgPaths, type OrgPathDifference } from './orgpath-check.js';
export { startDissolve } from './reorganisation.service.js';
