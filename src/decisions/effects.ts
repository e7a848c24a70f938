import { onCaseEvent } from '../cases/index.js';
import { issueDecisionAfterApproval, revokeDecisionAfterRevocation } from './issue.service.js';

/**
 * The decision follows its case (SPEC §6): issued once an approval stands (unless a list issues one decision for
 * all of its cases), revoked with a revocation. Registered when the app is built (src/effects.ts).
 */
export function registerDecisionEffects(): void {
  onCaseEvent('case.approved', 'decisions.issue', async ({ record, actor, body, decision }) => {
    if (decision === 'single') await issueDecisionAfterApproval(actor, record, body);
  });
  onCaseEvent('case.revoked', 'decisions.revoke', ({ caseId, actor, reason }) =>
    revokeDecisionAfterRevocation(actor, caseId, reason),
  );
}
