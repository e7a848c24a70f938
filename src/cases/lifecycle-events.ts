import type { Types } from 'mongoose';
import type { Actor } from '../core/scope.js';
import type { CaseRecord } from './cases.repository.js';
import type { CaseAction } from './workflow.js';

/**
 * The case lifecycle's events, owned by `cases`: the features that follow a case (report totals, decisions)
 * subscribe here instead of being called by name, so `cases` and `disbursements` do not import them.
 *
 * Emitting awaits each subscriber in turn, in the order they registered, inside the same request; a subscriber
 * that throws stops the step with its error, as a direct call did. Subscribers that must not fail the step
 * (report totals, decision issuing) catch and log their own failures.
 */
export interface CaseEvents {
  /**
   * A workflow step stood (its guarded update changed the case), before claims, funds, campaign totals and the
   * audit entry follow. `before` is the case as read before the step, `after` as the step left it. A single step
   * (under its run, step-runs.ts) names its `run`, whose mark its history entry carries: it is told
   * by its request and, if the request was cut off, again by the round that finishes the run (then `before` is the case
   * as it is now, with the status it had before the step), and a subscriber counts it once.
   */
  'case.transitioned': {
    caseId: string;
    action: CaseAction;
    before: CaseRecord;
    after: CaseRecord;
    actor: Actor;
    run?: string;
  };
  /**
   * The approval stood and everything inside the case followed; last thing of the step. `decision: 'batch'` when
   * a list approves many cases and issues one decision for all of them afterwards. `record` is the case as the step
   * left it; a subscriber that changes the case by an update of its own (decisions links the decision) writes the
   * change onto it too, so the step answers with it without reading the case again.
   */
  'case.approved': {
    caseId: string;
    record: CaseRecord;
    actor: Actor;
    body: Record<string, unknown>;
    decision: 'single' | 'batch';
  };
  /**
   * A list job's chunk of one step (verify, return, approve): its cases as their steps left them (the `action`
   * history entry of each carries the chunk's `mark`). It may be told again after a crash, and a subscriber counts
   * it once.
   */
  'cases.transitioned': { action: CaseAction; mark: string; cases: CaseRecord[] };
  /** The revocation stood; last thing of the step. */
  'case.revoked': { caseId: string; actor: Actor; reason: string };
  /** A payment entry was settled and the case's payment recorded; `before` is the case as the payment found it. */
  'payment.settled': { entryId: string; before: CaseRecord };
  /**
   * A list payment's chunk: its payment entries settled (as stored, status `paid`), each with its case as the
   * payment left it (`after`; the history entry that recorded the payment carries the entry's id). `mark` names
   * the chunk: it may be told again after a crash, and a subscriber counts it once.
   */
  'payments.settled': { mark: string; payments: { entry: SettledEntry; after: CaseRecord }[] };
  /**
   * A payment or reversal whose request was cut off, finished by the service (disbursements/interrupted-payments.ts):
   * its entry as settled, and its case as it is now (the history entry that recorded it carries the entry's id).
   */
  'payment.finished': { entry: SettledEntry; after: CaseRecord };
  /** A reversal entry was settled and the case's payment given back; `before` is the case as the reversal found it. */
  'payment.reversed': { entryId: string; before: CaseRecord };
}

/** What a subscriber gets of a settled payment entry (the disbursements collection's fields). */
export interface SettledEntry {
  _id: Types.ObjectId;
  caseId: Types.ObjectId;
  kind: string;
  status: string;
  amount: number;
  paidAt: string;
  fundId: Types.ObjectId;
  memberId: Types.ObjectId;
  orgPath: Types.ObjectId[];
  programCode: string;
  subtype?: string | null;
  campaignId?: Types.ObjectId | null;
}

export type CaseEventName = keyof CaseEvents;
export type CaseEventHandler<E extends CaseEventName> = (event: CaseEvents[E]) => Promise<void>;

const subscribers = new Map<CaseEventName, Map<string, CaseEventHandler<never>>>();

/**
 * Subscribes `handler` to `name` under the subscriber's name. Registering the same name again replaces the
 * handler in its place, so building the app twice (tests, commands) does not run an effect twice. Returns a
 * function that unsubscribes it.
 */
export function onCaseEvent<E extends CaseEventName>(
  name: E,
  subscriber: string,
  handler: CaseEventHandler<E>,
): () => void {
  let handlers = subscribers.get(name);
  if (!handlers) subscribers.set(name, (handlers = new Map()));
  handlers.set(subscriber, handler as CaseEventHandler<never>);
  return () => {
    if (handlers.get(subscriber) === handler) handlers.delete(subscriber);
  };
}

/** Runs the subscribers of `name` one after the other and waits for each; the first error propagates. */
export async function emitCaseEvent<E extends CaseEventName>(name: E, event: CaseEvents[E]): Promise<void> {
  for (const handler of (subscribers.get(name)?.values() ?? []) as Iterable<CaseEventHandler<E>>) await handler(event);
}

/** The subscribers of an event, by name, in the order they run (for tests and diagnostics). */
export function caseEventSubscribers(name: CaseEventName): string[] {
  return [...(subscribers.get(name)?.keys() ?? [])];
}
