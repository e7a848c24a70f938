/**
 * The case lifecycle events (src/cases/lifecycle-events.ts): the app registers report totals and decisions as
 * subscribers; emitting runs them one after the other, awaited, and an error stops the step as a direct call did.
 */
import { expect } from 'chai';
import { Types } from 'mongoose';
import { caseEventSubscribers, emitCaseEvent, onCaseEvent, type CaseRecord } from '../../src/cases/index.js';
import { registerEffects } from '../../src/effects.js';

describe('cases: lifecycle events', () => {
  it('when the app is built, then report totals and decisions subscribe, once each, however often it is built', () => {
    registerEffects();
    expect(caseEventSubscribers('case.transitioned')).to.deep.equal(['reports.totals']);
    expect(caseEventSubscribers('case.approved')).to.deep.equal(['decisions.issue']);
    expect(caseEventSubscribers('case.revoked')).to.deep.equal(['decisions.revoke']);
    expect(caseEventSubscribers('payment.settled')).to.deep.equal(['reports.totals']);
    expect(caseEventSubscribers('payment.reversed')).to.deep.equal(['reports.totals']);
  });

  it('when an event is emitted, then its subscribers run in order, each awaited, and the first error propagates', async () => {
    const ran: string[] = [];
    const event = {
      entryId: String(new Types.ObjectId()),
      before: { _id: new Types.ObjectId() } as unknown as CaseRecord,
    };
    const offFirst = onCaseEvent('payment.reversed', 'test.first', async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      ran.push('first');
    });
    const offSecond = onCaseEvent('payment.reversed', 'test.second', async () => {
      ran.push('second');
      throw new Error('second failed');
    });
    const offThird = onCaseEvent('payment.reversed', 'test.third', async () => {
      ran.push('third');
    });
    try {
      const error = await emitCaseEvent('payment.reversed', event).then(
        () => null,
        (e: unknown) => e,
      );
      expect((error as Error | null)?.message).to.equal('second failed');
      expect(ran).to.deep.equal(['first', 'second']);
    } finally {
      offFirst();
      offSecond();
      offThird();
    }
    expect(caseEventSubscribers('payment.reversed')).to.deep.equal(['reports.totals']);
  });
});
