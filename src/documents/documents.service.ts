import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../core/errors.js';
import { hasRole, type Actor, type Principal } from '../core/scope.js';
import {
  beginAuditedWrite,
  casesRepository,
  dropAuditedWrite,
  DOCUMENT_DELETABLE,
  DOCUMENT_UPLOADERS,
  endAuditedWrite,
  getCaseInScope,
  programContextOf,
  staleRevision,
  unfenced,
  type CaseDocument,
  type CaseRecord,
  type CaseStatus,
} from '../cases/index.js';
import type { Role } from '../core/shared/roles.js';
import { directUpperUnionOf } from '../orgs/index.js';
import { documentTypesOf } from '../core/shared/documents-catalogue.js';
import type { DocumentStore } from './documents.storage.js';
import { keepUploadedFile, type UploadedFile } from './uploads.js';

/**
 * Who may add papers depends on the stage (SPEC §9): the union while preparing, the verifier with the survey
 * minutes… A user who may change papers at this stage only as a verifier must be the case's direct upper union
 * (SPEC §2), as for verifying it: a province verifier may not add minutes to a case an upper union verifies.
 */
async function assertMayUpload(principal: Principal, record: CaseRecord): Promise<void> {
  const uploaders: readonly Role[] = DOCUMENT_UPLOADERS[record.status];
  if (!uploaders.length)
    throw new ConflictError('INVALID_TRANSITION', 'Hồ sơ đã kết thúc, không thể thay đổi giấy tờ.');
  if (!hasRole(principal, ...uploaders))
    throw new ForbiddenError('Ở bước này bạn không được thay đổi giấy tờ của hồ sơ.');
  const otherRoles = uploaders.filter((role) => role !== 'verifier');
  if (
    uploaders.includes('verifier') &&
    !(otherRoles.length && hasRole(principal, ...otherRoles)) &&
    (await directUpperUnionOf(String(record.orgId))) !== principal.orgId
  ) {
    throw new ForbiddenError(
      'Hồ sơ này do công đoàn cấp trên trực tiếp khác của công đoàn cơ sở thẩm định, không phải tổ chức của bạn.',
    );
  }
}

async function explainRefusal(caseId: string, revision: number | undefined): Promise<never> {
  const now = await casesRepository.findById(caseId);
  if (!now) throw new NotFoundError('hồ sơ');
  if (revision !== undefined && now.revision !== revision) throw staleRevision();
  throw new ConflictError('INVALID_TRANSITION', 'Trạng thái hồ sơ vừa thay đổi; không thể thay đổi giấy tờ.');
}

export async function addDocument(
  store: DocumentStore,
  principal: Principal,
  actor: Actor,
  caseId: string,
  input: { type: string; revision?: number },
  file: UploadedFile | undefined,
) {
  const record = await getCaseInScope(principal, caseId);
  await assertMayUpload(principal, record);
  if (input.revision !== undefined && input.revision !== record.revision) throw staleRevision();
  if (!file) throw new ValidationError([{ path: 'file', message: 'Cần chọn tệp để tải lên' }]);
  const { rules, program } = await programContextOf(record);
  const types = documentTypesOf(rules);
  if (!types.includes(input.type)) {
    throw new ValidationError([
      { path: 'type', message: `Loại giấy tờ của ${program.name} phải là một trong: ${types.join(', ')}` },
    ]);
  }
  const kept = await keepUploadedFile(store, file, actor);
  const { storedName } = kept;
  const now = kept.uploadedAt;
  const stored = { ...kept, type: input.type, statusAtUpload: record.status };
  // Its audit entry is owed from before the write (cases/audited-writes.ts): a crash right after it still gets one.
  const run = await beginAuditedWrite(record._id, 'document_add', actor, {
    action: 'case.document_add',
    entity: 'case',
    entityId: caseId,
    orgPath: record.orgPath,
    details: { documentId: stored.id, type: stored.type, sha256: stored.sha256, size: stored.size },
  });
  const ok = await casesRepository.changeDocuments(
    caseId,
    [record.status],
    input.revision,
    {
      $push: {
        documents: stored,
        history: {
          action: 'document_add',
          from: record.status,
          to: record.status,
          by: stored.uploadedBy,
          at: now,
          note: `${stored.type}: ${stored.originalName}`,
          run: run._id,
        },
      },
    },
    unfenced(run),
  );
  if (!ok) {
    await dropAuditedWrite(run);
    await store.remove(store.pathOf(storedName));
    await explainRefusal(caseId, input.revision);
  }
  await endAuditedWrite(run, actor);
  const { storedName: _hidden, ...visible } = stored;
  const updated = await casesRepository.findById(caseId);
  return { ...visible, caseRevision: updated?.revision };
}

export async function findDocument(principal: Principal, caseId: string, documentId: string): Promise<CaseDocument> {
  const record = await getCaseInScope(principal, caseId);
  const document = record.documents.find((d) => d.id === documentId);
  if (!document) throw new NotFoundError('giấy tờ');
  return document;
}

/** Papers of a case past `approved` stay (SPEC §9); before that, whoever may add papers now may remove them. */
export async function removeDocument(
  store: DocumentStore,
  principal: Principal,
  actor: Actor,
  caseId: string,
  documentId: string,
  revision: number | undefined,
): Promise<void> {
  const record = await getCaseInScope(principal, caseId);
  const document = record.documents.find((d) => d.id === documentId);
  if (!document) throw new NotFoundError('giấy tờ');
  if (!DOCUMENT_DELETABLE.includes(record.status)) {
    throw new ConflictError('INVALID_TRANSITION', 'Ở trạng thái hiện tại, giấy tờ của hồ sơ không thể xóa.');
  }
  await assertMayUpload(principal, record);
  // Each side removes only its own papers: the verifier cannot take away what the union submitted.
  const ownSide =
    document.uploadedBy?.id === principal.userId ||
    hasRole(principal, ...DOCUMENT_UPLOADERS[document.statusAtUpload as CaseStatus]);
  if (!ownSide) throw new ForbiddenError('Chỉ bên đã nộp giấy tờ này mới được xóa nó.');
  if (revision !== undefined && revision !== record.revision) throw staleRevision();
  const run = await beginAuditedWrite(record._id, 'document_remove', actor, {
    action: 'case.document_remove',
    entity: 'case',
    entityId: caseId,
    orgPath: record.orgPath,
    details: { documentId, type: document.type, sha256: document.sha256 },
  });
  const ok = await casesRepository.changeDocuments(
    caseId,
    [record.status],
    revision,
    {
      $pull: { documents: { id: documentId } },
      $push: {
        history: {
          action: 'document_remove',
          from: record.status,
          to: record.status,
          by: { id: actor.userId, name: actor.name },
          at: new Date(),
          note: `${document.type}: ${document.originalName}`,
          run: run._id,
        },
      },
    },
    unfenced(run),
  );
  if (!ok) {
    await dropAuditedWrite(run);
    await explainRefusal(caseId, revision);
  }
  await endAuditedWrite(run, actor);
  await store.remove(store.pathOf(document.storedName));
}
