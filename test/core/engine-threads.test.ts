/**
 * The launcher gives the embedded engine's connections network threads of their own (`NETWORK_THREADS` in
 * tools/embedded-mongo/EmbeddedMongo.java): the engine runs a command on its connection's thread, so with Netty's
 * default (twice the cores) a long command held up every connection sharing its thread (docs/engine.md). Netty
 * starts a thread when the first connection is given to it: counted here from /proc, not timed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { testEnv } from '../support/global-setup.js';

/** The engine's network threads started so far (`mongo-server-worker-…`, cut to 15 characters by the kernel). */
function networkThreads(pid: number): number {
  return readdirSync(`/proc/${pid}/task`).filter((task) => {
    try {
      return readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8').startsWith('mongo-server-wo');
    } catch {
      return false; // the thread ended meanwhile
    }
  }).length;
}

describe('embedded engine: network threads', () => {
  it('when twelve more connections are opened, then each is served by a network thread of its own', async () => {
    const { engine } = testEnv();
    const before = networkThreads(engine.pid);
    const clients = Array.from({ length: 12 }, () => new MongoClient(engine.uri, { maxPoolSize: 1 }));
    try {
      // Each client's one connection, answered: the engine has given it to a thread, which runs from then on.
      await Promise.all(clients.map((client) => client.db('admin').command({ ping: 1 })));
      const after = networkThreads(engine.pid);
      expect(after, `network threads before ${before}, after ${after}`).to.be.at.least(Math.min(before + 12, 32));
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  });
});
