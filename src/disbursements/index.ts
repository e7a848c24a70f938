export { disbursementRoutes } from './disbursements.routes.js';
export { reconciliationRoutes } from './reconciliation.routes.js';
export { listPaymentRoutes } from './list-payment.routes.js';
export { reconcile, type ReconciliationReport, type Difference } from './reconciliation.js';
export { purgeExpiredIdempotencyKeys } from './idempotency.js';
export { neutralise, csvCell } from './bank-transfer.js';
export { Disbursement, type DisbursementDoc } from './disbursements.model.js';
