/**
 * The service's start on an empty database (core/db/connection.ts `prepareCollections`): a first start on a new
 * data directory once failed with "Document with key '…decision_lines' already existed in …system.namespaces" when a
 * model's `createIndexes` raced its own collection's creation on the embedded engine.
 */
import { expect } from 'chai';
import mongoose from 'mongoose';
import { prepareCollections } from '../../src/core/db/connection.js';
import { testEnv } from '../support/global-setup.js';

interface Seen {
  command: string;
  collection: string;
  started: number;
  ended?: number;
  failed?: string;
}

describe('database start-up (core/db/connection.ts)', () => {
  it('when the service prepares an empty database, then each collection is made before its indexes and no command fails', async () => {
    expect(Object.keys(mongoose.models).length, 'the app registered its models').to.be.above(20);
    const conn = mongoose.createConnection(testEnv().engine.uri, {
      dbName: `startup_${Date.now()}`,
      autoIndex: false,
      monitorCommands: true,
    });
    const seen = new Map<number, Seen>();
    let tick = 0;
    await conn.asPromise();
    const client = conn.getClient();
    client.on('commandStarted', (e) => {
      if (e.commandName !== 'create' && e.commandName !== 'createIndexes') return;
      seen.set(e.requestId, {
        command: e.commandName,
        collection: String((e.command as Record<string, unknown>)[e.commandName]),
        started: (tick += 1),
      });
    });
    client.on('commandSucceeded', (e) => {
      const s = seen.get(e.requestId);
      if (s) s.ended = tick += 1;
    });
    client.on('commandFailed', (e) => {
      const s = seen.get(e.requestId);
      if (s) [s.ended, s.failed] = [(tick += 1), String(e.failure)];
    });
    try {
      // As the service's models are defined: each starts creating its collection at once (mongoose's `autoCreate`).
      const models = Object.values(mongoose.models).map((m) => conn.model(m.modelName, m.schema));
      await prepareCollections(models);

      const commands = [...seen.values()];
      expect(commands.filter((c) => c.failed).map((c) => `${c.command} ${c.collection}: ${c.failed}`)).to.deep.equal(
        [],
      );
      const indexed = new Set(commands.filter((c) => c.command === 'createIndexes').map((c) => c.collection));
      expect(indexed).to.include('decision_lines');
      for (const collection of indexed) {
        const create = commands.find((c) => c.command === 'create' && c.collection === collection);
        const firstIndex = Math.min(
          ...commands.filter((c) => c.command === 'createIndexes' && c.collection === collection).map((c) => c.started),
        );
        expect(create, `${collection} created by its model`).to.not.equal(undefined);
        expect(create!.ended, `${collection}: its create ended before its first createIndexes began`).to.be.below(
          firstIndex,
        );
      }
      const names = (await conn.db!.listCollections().toArray()).map((c) => c.name);
      expect(names.filter((name) => name === 'decision_lines')).to.have.length(1);
    } finally {
      await conn.dropDatabase().catch(() => undefined);
      await conn.close();
    }
  });
});
