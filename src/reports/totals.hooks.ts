import { createLogger } from '../core/logger.js';
import { statusForPaid } from '../core/shared/money-moves.js';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
import {
  approvalEvents,
  caseEvents,
  dimsOf,
  entryEvent,
  mergedByBucket,
  negated,
  statusChangeEvent,
  type ReportCase,
  type ReportEvent,
} from './events.js';
import { keptRepository } from './kept.repository.js';
import { caseMark, entryMark, routeLiveChange, type MarkedPart } from './marks.js';
import { payeeGroups, type PayeeEntry } from './payees.js';
import { isSingleRun, paymentRunOnce, ReportRun, stepRunOnce } from './reports.model.js';
import { reportsRepository, type RawEntry } from './reports.repository.js';
import { storeOf, totalsState, type TotalsStore } from './store.js';

/**
 * The live side of the report totals: subscribed to the case lifecycle events (effects.ts), which the case
 * workflow and the payment services emit after their change stood. Each adds the events of that one change (events.ts) to the monthly buckets with `$inc`,
 * then to the year figures of every organisation on the case's chain (yearly.ts), and a settled entry's
 * amount to its member's people-paid marker (payees.ts).
 * A failure here never undoes or fails the business step (the money moved, the case changed): it is logged,
 * `npm run reconcile` reports the difference and `npm run reports:rebuild` repairs it.
 * The changes that a request and the service's round may both tell (a single workflow step under its run's mark, a
 * single payment or reversal by its entry) and a list job's chunks count once (`recordRunOnce`).
 */
const logger = createLogger('warn');
/** A chunk's people-paid markers moved at once (different members). */
const WRITES_AT_ONCE = 16;

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

/**
 * After a workflow step (submit, verify, return, reject, approve, revoke, withdraw, close), from the case as it left.
 * A single step under its run (`run`, whose mark its history entry carries) is counted once under
 * its run (`stepRunOnce`), whether its request or the round that finished its run tells it.
 */
export async function recordCaseTransition(
  before: CaseBefore,
  after: ReportCase,
  action: string,
  run?: string,
): Promise<void> {
  const id = String(after._id);
  const history = after.history ?? [];
  const entry = run
    ? history.find((h) => h.action === action && (h as { run?: string | null }).run === run)
    : [...history].reverse().find((h) => h.action === action && h.from === before.status);
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
  const change = statusChangeEvent(
    after,
    entry?.from ?? before.status,
    entry?.to ?? after.status,
    entry?.at ?? new Date(),
  );
  if (change) events.push(change);
  if (action === 'submit' && before.status === 'draft' && after.submittedDay) {
    events.push({ day: after.submittedDay, dims: dimsOf(after), counters: { received: 1 } });
  }
  if (action === 'approve' && after.approvedDay) events.push(...approvalEvents(after, 1));
  if (action === 'revoke' && after.approvedDay) events.push(...approvalEvents(after, -1));
  const index = entry ? history.lastIndexOf(entry) : -1;
  const parts = [{ index, events, payees: [], markId: (g: number) => caseMark(g, id) }];
  if (run) await recordRunOnce(stepRunOnce(run), () => parts);
  else await apply(parts, { caseId: id, action });
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
  // Counted once under the entry, whether the request or the round that finished it tells it (`recordFinishedPayment`).
  await recordRunOnce(paymentRunOnce(entryId), () => [
    // The entry's amount also moves its member's people-paid marker of the year (payees.ts).
    {
      index: 0,
      events: settled ? [settled] : [],
      payees: settled ? [entry] : [],
      markId: (g: number) => entryMark(g, entryId),
    },
    { index, events: change ? [change] : [], payees: [], markId: (g: number) => caseMark(g, caseId) },
  ]);
}

/** The events of one settled payment: its amount by its day and the status change its history entry recorded. */
function settledPaymentParts(entry: RawEntry, after: ReportCase & { history?: { entryId?: unknown }[] }) {
  const history = after.history ?? [];
  const index = history.findIndex((h) => String((h as { entryId?: unknown }).entryId) === String(entry._id));
  const h = history[index];
  const settled = entryEvent(after, entry);
  const change = h ? statusChangeEvent(after, h.from, h.to, h.at) : null;
  const caseId = String(after._id);
  return [
    {
      index: 0,
      events: settled ? [settled] : [],
      payees: settled ? [entry] : [],
      markId: (g: number) => entryMark(g, String(entry._id)),
    },
    { index, events: change ? [change] : [], payees: [], markId: (g: number) => caseMark(g, caseId) },
  ];
}

/**
 * A payment or reversal whose request was cut off, finished by the service: counted as `recordSettledEntry` would,
 * once under the entry (the request may have counted it before it was cut off, or may go on after a stall).
 */
export async function recordFinishedPayment(
  entry: RawEntry,
  after: ReportCase & { history?: { entryId?: unknown }[] },
): Promise<void> {
  await recordRunOnce(paymentRunOnce(String(entry._id)), () => settledPaymentParts(entry, after));
}

/**
 * A list payment's chunk, counted as its payments one by one would be (`recordSettledEntry`), but written at once
 * (`recordRunOnce`).
 */
export async function recordSettledPayments(
  mark: string,
  payments: readonly { entry: RawEntry; after: ReportCase }[],
): Promise<void> {
  await recordRunOnce(mark, () => payments.flatMap(({ entry, after }) => settledPaymentParts(entry, after)));
}

/**
 * A list job's chunk of one step (submit, verify, return, approve), counted as its steps one by one would be
 * (`recordCaseTransition`), but written at once (`recordRunOnce`): each case's status change, a first submission's
 * `received` and an approval's events, from its history entry of the chunk.
 */
export async function recordStepsAtOnce(
  mark: string,
  action: string,
  cases: readonly (ReportCase & { history?: { run?: string | null }[] })[],
): Promise<void> {
  await recordRunOnce(mark, () =>
    cases.map((after) => {
      const history = after.history ?? [];
      const index = history.findIndex((h) => h.action === action && (h as { run?: string | null }).run === mark);
      const h = history[index];
      const change = h ? statusChangeEvent(after, h.from, h.to, h.at) : null;
      const caseId = String(after._id);
      return {
        index,
        events: [
          ...(change ? [change] : []),
          // A first submission counts the case as received (a resubmission goes the single way).
          ...(action === 'submit' && h?.from === 'draft' && after.submittedDay
            ? [{ day: after.submittedDay, dims: dimsOf(after), counters: { received: 1 } }]
            : []),
          ...(action === 'approve' && after.approvedDay ? approvalEvents(after, 1) : []),
        ],
        payees: [],
        markId: (g: number) => caseMark(g, caseId),
      };
    }),
  );
}

/**
 * A chunk of a list job's changes added at once: its events merged by bucket into one bulk write, the year figures
 * and the people-paid markers likewise. The chunk's mark (reports.model.ts `ReportRun`) makes it count once when
 * told again after a crash; a crash in the middle of the writes (or a write that failed) leaves it `applying`: its
 * figures are then made again by a report rebuild once its job has ended (report-runs.ts). While a rebuild makes the
 * next generation, each change goes the live way through the marks instead. A single step under a mark and a single
 * payment count once the same way, under `stepRunOnce` and `paymentRunOnce`.
 */
async function recordRunOnce(
  mark: string,
  partsOf: () => (MarkedPart & { markId: (generation: number) => string })[],
): Promise<void> {
  try {
    const begun = await ReportRun.create({ _id: mark, state: 'applying', at: new Date() }).then(
      () => true,
      (error: unknown) => {
        if (!isDuplicateKeyError(error)) throw error;
        return false;
      },
    );
    if (!begun) {
      const run = await ReportRun.findById(mark).lean();
      // A single step's request and the round that finishes it may count at once: only a left run is told (report-runs.ts).
      if (run?.state === 'applying' && !isSingleRun(mark))
        logger.error(
          { mark },
          'report totals of a list chunk may be partly counted; a report rebuild is queued once its job has ended',
        );
      return;
    }
    const parts = partsOf();
    const { generation, building } = await totalsState();
    if (building) await apply(parts, { mark });
    else {
      const events = mergedByBucket(parts.flatMap((p) => p.events));
      const store = storeOf(generation);
      await reportsRepository.addEventsAtOnce(events, store);
      await keptRepository.addToYears(events, store);
      await keptRepository.addPayeesAtOnce(payeeGroups(parts.flatMap((p) => p.payees)), store, WRITES_AT_ONCE);
    }
    await ReportRun.updateOne({ _id: mark }, { $set: { state: 'applied' } });
  } catch (error) {
    logger.error(
      { err: error, mark },
      'report totals of a list chunk or single step not wholly updated; a report rebuild is queued once it has ended',
    );
  }
}
