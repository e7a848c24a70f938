/** The service's periodic rounds (src/core/every.ts): a round slower than its period never runs twice at once. */
import { expect } from 'chai';
import { everyWithoutOverlap } from '../../src/core/every.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('core: everyWithoutOverlap', () => {
  it('when a round lasts longer than its period, then the ticks meanwhile are skipped and the next tick after it runs again', async () => {
    let running = 0;
    let most = 0;
    let rounds = 0;
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const timer = everyWithoutOverlap(5, async () => {
      running += 1;
      most = Math.max(most, running);
      rounds += 1;
      if (rounds === 1) await slow;
      running -= 1;
    });
    try {
      // Many periods pass while the first round is held: none of their ticks starts a round.
      while (rounds === 0) await tick(5);
      await tick(100);
      expect(rounds).to.equal(1);
      release();
      while (rounds < 3) await tick(5);
      expect(most).to.equal(1);
    } finally {
      clearInterval(timer);
    }
  });

  it('when a round fails, then the next tick still runs one', async () => {
    let rounds = 0;
    const timer = everyWithoutOverlap(5, async () => {
      rounds += 1;
      if (rounds === 1) throw new Error('refused');
    });
    try {
      while (rounds < 2) await tick(5);
      expect(rounds).to.be.at.least(2);
    } finally {
      clearInterval(timer);
    }
  });
});
