export {
  auditedEntities,
  chunkEntryId,
  recordAudit,
  recordAudits,
  recordAuditsOnce,
  storedEntryIds,
  type AuditInput,
} from './audit.service.js';
export { AuditEntry } from './audit.model.js';
export { chainUnchainedEntries } from './chain-migration.js';
export { verifyChain, type ChainReport, type ChainProblem } from './verify.js';
export { findHead, type ChainHead } from './chain.js';
export { auditRoutes } from './audit.routes.js';
export { auditHeadLine } from './head-line.js';
