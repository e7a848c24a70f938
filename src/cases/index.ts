export { caseRoutes } from './cases.routes.js';
export { getCaseInScope, programContextOf } from './case-context.js';
export { casesRepository, type CaseRecord, type CaseDocument } from './cases.repository.js';
export { staleRevision } from './cases.service.js';
export { DOCUMENT_UPLOADERS, DOCUMENT_DELETABLE, STATUS_NAMES, type CaseStatus } from './workflow.js';
export { documentTypeName } from './documents-catalogue.js';
