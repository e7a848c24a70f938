export { disbursementRoutes } from './disbursements.routes.js';
export { reconciliationRoutes } from './reconciliation.routes.js';
export { listPaymentRoutes } from './list-payment.routes.js';
export { reconcile, type ReconciliationReport, type Difference } from './reconciliation.js';
export { purgeExpiredIdempotencyKeys } from './idempotency.js';
export { Disbursement, type DisbursementDoc } from './disbursements.model.js';
export { recordDisbursement } from './payments.service.js';
export { addReceipt } from './receipts.service.js';
export { reverseDisbursement } from './reversals.service.js';
