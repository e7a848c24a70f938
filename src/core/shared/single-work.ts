/**
 * How long a single approval, revocation, payment or reversal leaves its traces after it ended: its marks on the funds
 * and the campaign (cases/step-runs.ts `dropEndedStepMarks`, disbursements/interrupted-payments.ts
 * `dropEndedPaymentMarks`) and its `applied` report run (reports/report-runs.ts `purgeSpentReportRuns`). Far longer
 * than a request can stall between two of its writes: a round finishes it after `PAYMENT_FINISH_AFTER_MS`, and a
 * request that only stalled while a round finished it still finds them when it goes on, and writes nothing twice.
 * An hour, or four times `finishAfterMs` when that is longer.
 */
export const singleWorkKeptMs = (finishAfterMs: number): number => Math.max(60 * 60 * 1000, 4 * finishAfterMs);

/** `PAYMENT_FINISH_AFTER_MS`'s default (core/config.ts). */
export const DEFAULT_FINISH_AFTER_MS = 5 * 60_000;
