import { createLogger } from '../core/logger.js';
import { statusForPaid } from '../core/shared/money-moves.js';
import {
  approvalEvents,
  caseEvents,
  dimsOf,
  entryEvent,
  negated,
  statusChangeEvent,
  type ReportCase,
  type ReportEvent,
} from './events.js';
import { keptRepository } from './kept.repository.js';
import { caseMark, entryMark, routeLiveChange, type MarkedPart } from './marks.js';
import { payeeGroups, type PayeeEntry } from './payees.js';
import { reportsRepository } from './reports.repository.js';
import { storeOf, totalsState, type TotalsStore } from './store.js';

/**
 * The live side of the report totals: subscribed to the case lifecycle events (effects.ts), which the case
 * workflow and the payment services emit after their change stood. Each adds the events of that one change (events.ts) to the monthly buckets with `$inc`,
 * then to the year figures of every organisation on the case's chain (yearly.ts), and a settled entry's
 * amount to its member's people-paid marker (payees.ts).
 * A failure here never undoes or fails the business step (the money moved, the case changed): it is logged,
 * `npm run reconcile` reports the difference and `npm run reports:rebuild` repairs it.
 */
const logger = createLogger('warn');

type CaseBefore = ReportCase & { reportSubtype?: string | null };

/** Events and settled entries added to one generation's buckets, year figures and people-paid markers. */
async function applyToStore(
  store: TotalsStore,
  events: readonly ReportEvent[],
  payees: readonly PayeeEntry[],
): Promise<void> {
  for (const event of events) await reportsRepository.addEvent(event, store);
  await keptRepository.addToYears(events, store);
  for (const group of payeeGroups(payees)) await keptRepository.addPayees(group, store);
}

/**
 * One change's parts, each tied to what it changed (a case's history entry, or an entry's settlement), added
 * to the current generation and, while a rebuild makes the next one, to that one through the marks (marks.ts).
 */
async function apply(
  parts: readonly (MarkedPart & { markId: (generation: number) => string })[],
  what: Record<string, unknown>,
) {
  try {
    const { generation, building } = await totalsState();
    if (!building || building.phase === 'building') {
      await applyToStore(
        storeOf(generation),
        parts.flatMap((p) => p.events),
        parts.flatMap((p) => p.payees),
      );
    }
    if (!building) return;
    for (const { markId, ...part } of parts) {
      if (!part.events.length && !part.payees.length) continue;
      if (await routeLiveChange(building.generation, markId(building.generation), part))
        await applyToStore(storeOf(building.generation), part.events, part.payees);
    }
  } catch (error) {
    logger.error({ err: error, ...what }, 'report totals not updated; npm run reports:rebuild repairs them');
  }
}

/** After a workflow step (submit, verify, return, reject, approve, revoke, withdraw, close), from the case as it left. */
export async function recordCaseTransition(before: CaseBefore, after: ReportCase, action: string): Promise<void> {
  const id = String(after._id);
  const entry = [...(after.history ?? [])].reverse().find((h) => h.action === action && h.from === before.status);
  const events: ReportEvent[] = [];
  // A returned case whose subtype was edited moves, with everything it counted so far, to its new subtype.
  if (
    action === 'submit' &&
    before.status === 'returned' &&
    before.reportSubtype &&
    before.reportSubtype !== before.subtype
  ) {
    events.push(...negated(caseEvents({ ...before, subtype: before.reportSubtype })), ...caseEvents(before));
  }
  const change = statusChangeEvent(after, before.status, entry?.to ?? after.status, entry?.at ?? new Date());
  if (change) events.push(change);
  if (action === 'submit' && before.status === 'draft' && after.submittedDay) {
    events.push({ day: after.submittedDay, dims: dimsOf(after), counters: { received: 1 } });
  }
  if (action === 'approve' && after.approvedDay) events.push(...approvalEvents(after, 1));
  if (action === 'revoke' && after.approvedDay) events.push(...approvalEvents(after, -1));
  const index = entry ? (after.history ?? []).lastIndexOf(entry) : -1;
  await apply([{ index, events, payees: [], markId: (g) => caseMark(g, id) }], { caseId: id, action });
}

/**
 * After a payment or reversal entry was settled: the entry's amount by its day, and the case's status change
 * (where the move leads by `statusForPaid`, as `cases/money-moves.ts` records it, from the case as it was before its conditional update).
 */
export async function recordSettledEntry(
  entryId: string,
  before: ReportCase & { disbursedAmount?: number | null },
  action: 'disburse' | 'reverse',
): Promise<void> {
  const [entry, after] = await Promise.all([
    reportsRepository.findEntry(entryId),
    reportsRepository.findCase(String(before._id)),
  ]);
  if (!entry || !after) return;
  // A reversal entry carries a negative amount.
  const paid = (before.disbursedAmount ?? 0) + entry.amount;
  const to = statusForPaid(before.approvedAmount ?? 0, paid);
  // This payment's history entry: the first one of its move written after the case as it was before.
  const start = (before.history ?? []).length;
  const index = (after.history ?? []).findIndex(
    (h, i) => i >= start && h.action === action && h.from === before.status && h.to === to,
  );
  const settled = entryEvent(after, entry);
  const change = statusChangeEvent(after, before.status, to, after.history?.[index]?.at ?? new Date());
  const caseId = String(before._id);
  await apply(
    [
      // The entry's amount also moves its member's people-paid marker of the year (payees.ts).
      {
        index: 0,
        events: settled ? [settled] : [],
        payees: settled ? [entry] : [],
        markId: (g) => entryMark(g, entryId),
      },
      { index, events: change ? [change] : [], payees: [], markId: (g) => caseMark(g, caseId) },
    ],
    { entryId, action },
  );
}
