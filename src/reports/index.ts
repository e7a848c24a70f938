export { reportRoutes } from './reports.routes.js';
export { rebuildRoutes } from './rebuild.routes.js';
export { rebuildInProgress } from './rebuild-job.js';
export { currentBucketCollection } from './store.js';
export { registerReportEffects } from './effects.js';
export {
  checkReportTotals,
  rebuildReportTotals,
  refreshPayeesUnder,
  refreshYearsAfterMove,
  type TotalsDifference,
} from './totals.rebuild.js';
export { summaryReport, type SummaryReport } from './reports.service.js';
export { PERIOD_KEY, periodLabel, periodOfKey } from './period.js';
export { purgeSpentReportRuns, repairPartlyCountedRuns } from './report-runs.js';
