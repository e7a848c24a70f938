import { apiGet, apiStartJob } from '../../api/client';
import type { OrgOperation } from '../../api/types';

export type { OrgHistoryItem, OrgOperation, ReorganisationPreview } from '../../api/types';

export type ReorganisationKind = OrgOperation['kind'];

export const previewOf = (orgId: string, kind: ReorganisationKind, sourceIds: string[] = []) =>
  apiGet(`/orgs/${orgId}/reorganisation-preview`, {
    action: kind,
    sourceIds: sourceIds.join(',') || undefined,
  });

/** Starts the operation as a job without waiting for it (Prefer: respond-async: 202 and the job); the dialog follows its progress. */
export const startReorganisation = (orgId: string, kind: ReorganisationKind, body: Record<string, unknown>) =>
  apiStartJob(`/orgs/${orgId}/${kind}`, body);

/** The job (SPEC §14) a reorganisation runs as: its one item is the operation, its progress the items moved. */
export type ReorganisationJob = Awaited<ReturnType<typeof startReorganisation>>;

export const historyOf = (orgId: string) => apiGet(`/orgs/${orgId}/history`);
