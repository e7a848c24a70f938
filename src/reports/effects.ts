import { onCaseEvent } from '../cases/index.js';
import {
  recordCaseTransition,
  recordFinishedPayment,
  recordStepsAtOnce,
  recordSettledEntry,
  recordSettledPayments,
} from './totals.hooks.js';

/**
 * The report totals follow the case lifecycle (totals.hooks.ts): every workflow step that stood, every payment
 * and reversal settled. Registered when the app is built (src/effects.ts).
 */
export function registerReportEffects(): void {
  onCaseEvent('case.transitioned', 'reports.totals', ({ before, after, action, run }) =>
    recordCaseTransition(before, after, action, run),
  );
  onCaseEvent('cases.transitioned', 'reports.totals', ({ action, mark, cases }) =>
    recordStepsAtOnce(mark, action, cases),
  );
  onCaseEvent('payment.settled', 'reports.totals', ({ entryId, before }) =>
    recordSettledEntry(entryId, before, 'disburse'),
  );
  onCaseEvent('payments.settled', 'reports.totals', ({ mark, payments }) => recordSettledPayments(mark, payments));
  onCaseEvent('payment.finished', 'reports.totals', ({ entry, after }) => recordFinishedPayment(entry, after));
  onCaseEvent('payment.reversed', 'reports.totals', ({ entryId, before }) =>
    recordSettledEntry(entryId, before, 'reverse'),
  );
}
