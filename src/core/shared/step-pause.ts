import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Tests only (PAYMENT_STEP_DELAY_MS): a pause between the writes of a single payment or workflow step (a payment, a
 * reversal, any step of the workflow table, a case's creation, edit or document change before its audit entry), so
 * that a test can kill the service (kill -9) in the middle. 0 otherwise.
 */
let stepDelayMs = 0;
export function setStepDelay(ms: number): void {
  stepDelayMs = ms;
}
export const stepPause = () => (stepDelayMs ? sleep(stepDelayMs) : Promise.resolve());
