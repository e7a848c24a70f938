export { reportRoutes } from './reports.routes.js';
export { recordCaseTransition, recordSettledEntry } from './totals.hooks.js';
export { checkReportTotals, rebuildReportTotals, type TotalsDifference } from './totals.rebuild.js';
