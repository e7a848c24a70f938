export { documentRoutes } from './documents.routes.js';
// Receipts of payments (disbursements) are stored and checked the same way as a case's papers.
export { DocumentStore } from './documents.storage.js';
export { ACCEPTED_DESCRIPTION, ACCEPTED_MIME_TYPES, cleanFileName } from './file-types.js';
export { fileResponseHeaders } from './file-response.js';
export { keepUploadedFile, singleFileUpload, type StoredFile, type UploadedFile } from './uploads.js';
export { caseDocumentResponse, storedFileResponse } from './documents.schemas.js';
export { addDocument } from './documents.service.js';
