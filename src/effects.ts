import { registerDecisionEffects } from './decisions/index.js';
import { registerReportEffects } from './reports/index.js';

/**
 * Subscribes the features that follow the case lifecycle (cases/lifecycle-events.ts) to its events: report
 * totals and decisions. Called when the app is built (createApp) and by whatever moves cases without it (the
 * demo seed); calling it again changes nothing.
 */
export function registerEffects(): void {
  registerReportEffects();
  registerDecisionEffects();
}
