import type { CaseDocument, CaseRecord } from '../../api/types';
import { missingDocumentTypes, type Role } from '../../lib/labels';
import { DELETABLE_STATUSES, UPLOADERS_BY_STATUS } from '../../../core/shared/document-access';
import type { ProgramRules } from '../../api/types';

/** Who may add papers at each status and until when they may be removed: the API's own table (SPEC §9). */
const UPLOADERS: Readonly<Record<string, readonly Role[]>> = UPLOADERS_BY_STATUS;
const DELETABLE: readonly string[] = DELETABLE_STATUSES;

/**
 * A submitted case takes papers from its verifier only when the caller is the case's direct upper union (SPEC §2),
 * which the case says by offering them its verifier actions; anyone else holding `verifier` is refused by the API.
 */
export function mayUpload(
  status: string,
  hasRole: (...roles: Role[]) => boolean,
  allowedActions?: readonly string[],
): boolean {
  if (
    status === 'submitted' &&
    allowedActions &&
    !allowedActions.some((a) => a === 'verify' || a === 'return' || a === 'reject')
  )
    return false;
  return hasRole(...(UPLOADERS[status] ?? []));
}

/** Before approval, whoever may add papers now may remove those their side submitted. */
export function mayDelete(
  record: CaseRecord,
  document: CaseDocument,
  userId: string,
  hasRole: (...roles: Role[]) => boolean,
): boolean {
  if (!DELETABLE.includes(record.status) || !mayUpload(record.status, hasRole, record.allowedActions)) return false;
  return document.uploadedBy?.id === userId || hasRole(...(UPLOADERS[document.statusAtUpload] ?? []));
}

export interface RequiredStep {
  title: string;
  types: string[];
}

/** The papers the case's next step needs (submit, verify, the coming tranches, closing). */
export function nextStepDocuments(record: CaseRecord, rules: ProgramRules): RequiredStep[] {
  const stage = (title: string, types: string[] | undefined) => (types?.length ? [{ title, types }] : []);
  switch (record.status) {
    case 'draft':
    case 'returned':
      return stage('Để gửi hồ sơ', rules.requiredDocuments.submit);
    case 'submitted':
      return rules.requiresVerification ? stage('Để thẩm định', rules.requiredDocuments.verify) : [];
    case 'approved':
    case 'partially_disbursed': {
      const tranches = record.tranches?.length
        ? record.tranches
        : rules.tranches.map((t, i) => ({ ...t, no: i + 1, paid: 0, amount: 1 }));
      return tranches
        .filter((t) => t.paid < t.amount)
        .flatMap((t) => stage(`Trước khi chi đợt ${t.no} (${t.label})`, t.requiresDocuments));
    }
    case 'disbursed':
      return stage('Để kết thúc hồ sơ', rules.requiredDocuments.close);
    default:
      return [];
  }
}

/** The papers the case's next step still lacks, each type once. */
export function missingPapers(record: CaseRecord, steps: RequiredStep[]): string[] {
  return missingDocumentTypes(
    steps.flatMap((step) => step.types),
    record.documents,
  );
}
