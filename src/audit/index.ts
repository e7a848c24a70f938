export { recordAudit, recordAudits, type AuditInput } from './audit.service.js';
export { AuditEntry } from './audit.model.js';
