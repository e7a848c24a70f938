import { ConflictError, NotFoundError } from '../core/errors.js';
import type { ListQuery } from '../core/http/common-schemas.js';
import { isInScope, type Actor, type Principal } from '../core/scope.js';
import { getCaseInScope } from '../cases/index.js';
import type { SignerInput } from './decision-draft.js';
import type { DecisionStatus } from './decisions.model.js';
import { decisionLines } from './decision-lines.js';
import { decisionsRepository, type DecisionRecord } from './decisions.repository.js';
import { pdfStore } from './decisions.storage.js';
import { isDecided } from '../core/shared/money-moves.js';
import { ensurePdf, issueDecisionForCase, revokeDecisionOfCase } from './issue.service.js';

const WHAT = 'quyết định';

/**
 * A decision is seen by the issuer's subtree and by the subtree of any of its cases' unions (the verifier
 * above the union, the union itself); anyone else gets 404, so ids cannot be probed (SPEC §2).
 */
export async function getDecisionInScope(principal: Principal, id: string): Promise<DecisionRecord> {
  const decision = await decisionsRepository.findById(id);
  if (!decision || !isInScope(principal, decision.scopeOrgIds.map(String))) throw new NotFoundError(WHAT);
  return decision;
}

/**
 * The decision as clients see it, with the addresses of its PDF and of its public verification, and its first
 * LINES_SHOWN lines (a list's decision may have 50,000: its PDF's annex has them all).
 */
export async function decisionJSON(decision: DecisionRecord): Promise<Record<string, unknown>> {
  const lines = await decisionLines.shown(decision);
  const json = decisionsRepository.toJSON({ ...decision, lines });
  return {
    ...json,
    lineCount: decision.lineCount ?? decision.caseIds.length,
    pdfUrl: `/api/v1/decisions/${String(decision._id)}/pdf`,
    verifyUrl: decision.content?.verifyUrl,
  };
}

export interface DecisionListQuery extends ListQuery {
  programCode?: string;
  campaignId?: string;
  status?: DecisionStatus;
  from?: string;
  to?: string;
}

export async function listDecisions(principal: Principal, query: DecisionListQuery) {
  const page = await decisionsRepository.list(
    {
      subtreeOf: principal.orgId,
      programCode: query.programCode,
      campaignId: query.campaignId,
      status: query.status,
      issuedFrom: query.from,
      issuedTo: query.to,
    },
    query,
  );
  return {
    ...page,
    items: page.items.map((item) => {
      const json = item as Record<string, unknown>;
      return { ...json, pdfUrl: `/api/v1/decisions/${String(json.id)}/pdf` };
    }),
  };
}

/** The stored bytes, never a new rendering (SPEC §6: byte-identical forever). */
export async function openPdf(principal: Principal, id: string) {
  const decision = await ensurePdf(await getDecisionInScope(principal, id));
  const pdf = decision.pdf!;
  return { decision, sha256: pdf.sha256, size: pdf.size, stream: () => pdfStore.open(pdf.fileId) };
}

/**
 * `POST /cases/:id/decision`: brings a case's decision in line with the case after an interruption. An
 * approved case without a decision gets it (201); one that has it answers it (200); a revoked case whose
 * decision does not yet record the revocation records it, with the reason of the case's revoke step.
 */
export async function settleDecisionOfCase(principal: Principal, actor: Actor, caseId: string, input: SignerInput) {
  const record = await getCaseInScope(principal, caseId);
  if (record.status === 'revoked') {
    const decision = await decisionsRepository.findByCase(record._id);
    if (!decision)
      throw new ConflictError('INVALID_TRANSITION', 'Hồ sơ đã bị thu hồi và không có quyết định.', {
        caseStatus: record.status,
      });
    const revokedBy = [...record.history].reverse().find((h) => h.action === 'revoke');
    if (!decision.revocations.some((r) => r.caseId.equals(record._id))) {
      await revokeDecisionOfCase(actor, caseId, revokedBy?.note || 'Thu hồi phê duyệt');
    }
    return { decision: await ensurePdf((await decisionsRepository.findById(String(decision._id)))!), created: false };
  }
  if (!isDecided(record.status)) {
    throw new ConflictError('INVALID_TRANSITION', 'Chỉ ban hành quyết định cho hồ sơ đã được phê duyệt.', {
      caseStatus: record.status,
    });
  }
  return issueDecisionForCase(actor, caseId, input);
}
