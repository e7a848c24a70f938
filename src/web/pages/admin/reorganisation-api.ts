import { apiGet, apiSend } from '../../api/client';
import type { Job } from '../../components/JobProgress';

/** The shapes of SPEC §13 the reorganisation dialogs read (GET /orgs/:id/reorganisation-preview, /org-operations/:id). */
export interface ReorganisationPreview {
  orgs: number;
  members: number;
  openCases: number;
  users: number;
  funds: number;
  campaigns: number;
}

export interface OrgOperation {
  id: string;
  kind: 'move' | 'dissolve' | 'merge';
  status: 'running' | 'succeeded' | 'failed';
  progress: { done: number; total: number };
  error: string | null;
}

export interface OrgHistoryItem {
  event: 'created' | 'renamed' | 'moved' | 'dissolved' | 'merged';
  from: { id: string | null; name: string } | null;
  to: { id: string | null; name: string } | null;
  effectiveDate: string;
  by: { userId: string | null; name: string };
  at: string;
  reason: string;
}

export type ReorganisationKind = OrgOperation['kind'];

export const previewOf = (orgId: string, kind: ReorganisationKind, sourceIds: string[] = []) =>
  apiGet<ReorganisationPreview>(`/orgs/${orgId}/reorganisation-preview`, {
    action: kind,
    sourceIds: sourceIds.join(',') || undefined,
  });

/** The job (SPEC §14) a reorganisation runs as: its one item is the operation, its progress the items moved. */
export type ReorganisationJob = Job<OrgOperation> & { input: { operationId: string; orgId: string } };

/** Starts the operation as a job without waiting for it (Prefer: respond-async: 202 and the job); the dialog follows its progress. */
export const startReorganisation = (orgId: string, kind: ReorganisationKind, body: Record<string, unknown>) =>
  apiSend<ReorganisationJob>('POST', `/orgs/${orgId}/${kind}`, body, { headers: { Prefer: 'respond-async' } });

export const historyOf = (orgId: string) => apiGet<{ items: OrgHistoryItem[] }>(`/orgs/${orgId}/history`);
