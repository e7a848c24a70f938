export { batchRoutes } from './batches.routes.js';
export { importList, type ImportResult } from './import.service.js';
export { actOnBatch, getBatchInScope, type BatchActionBody } from './actions.service.js';
export { FIELD_HEADERS, LIST_FIELDS } from './list-rows.js';
