/** The one bounded-concurrency runner (src/core/shared/map-limit.ts), used by jobs, list actions and the web. */
import { expect } from 'chai';
import { mapLimit } from '../../src/core/shared/map-limit.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('core: mapLimit', () => {
  it('when items are mapped, then at most `limit` run at once and the results keep the items order', async () => {
    let running = 0;
    let most = 0;
    const results = await mapLimit([30, 5, 20, 1, 10], 2, async (ms, index) => {
      running += 1;
      most = Math.max(most, running);
      await tick(ms);
      running -= 1;
      return `${index}:${ms}`;
    });
    expect(results).to.deep.equal(['0:30', '1:5', '2:20', '3:1', '4:10']);
    expect(most).to.equal(2);
  });

  it('when a piece of work fails, then no new item starts and the failure is thrown once the running ones end', async () => {
    const started: number[] = [];
    let ended = 0;
    const run = mapLimit([1, 2, 3, 4, 5], 2, async (item) => {
      started.push(item);
      await tick(item === 1 ? 1 : 20);
      ended += 1;
      if (item === 1) throw new Error('refused');
      return item;
    });
    let error: unknown;
    await run.catch((e: unknown) => (error = e));
    expect((error as Error).message).to.equal('refused');
    expect(started).to.deep.equal([1, 2]);
    expect(ended).to.equal(2);
  });

  it('when there is nothing to map, then the answer is empty', async () => {
    expect(await mapLimit([], 3, async () => 1)).to.deep.equal([]);
  });
});
