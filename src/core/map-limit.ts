// Moved to core/shared/ (the web's list payment page uses it too); this re-export stays only until
// batches/actions.service.ts imports it from there.
export { mapLimit } from './shared/map-limit.js';
