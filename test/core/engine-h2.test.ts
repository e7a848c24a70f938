/**
 * The H2 file of the embedded engine (what `npm start` uses) opened again: our launcher skips the engine's passes over
 * every collection for the secondary indexes it does not keep, and compacts the file only when it is mostly dead space
 * (tools/embedded-mongo/EmbeddedMongo.java). Opening again must still find every document and index as they were.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { startEmbeddedEngine, type EmbeddedEngine } from '../../src/core/db/embedded.js';

const DOCS = 3_000;

describe('Embedded engine: an H2 file opened again', function () {
  this.timeout(120_000);
  let dir = '';
  let engine: EmbeddedEngine | null = null;
  let client: mongoose.mongo.MongoClient | null = null;

  const open = async () => {
    engine = await startEmbeddedEngine({ backend: 'h2', dataDir: dir, database: 'h2-reopen', heap: '256m' });
    client = new mongoose.mongo.MongoClient(engine.uri);
    await client.connect();
    return client.db('h2-reopen').collection('probe');
  };
  const close = async () => {
    await client?.close();
    await engine?.stop();
    client = null;
    engine = null;
  };

  before(() => (dir = mkdtempSync(join(tmpdir(), 'mai-am-h2-reopen-'))));
  after(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps documents, unique and secondary index definitions, and answers the same queries', async () => {
    let probe = await open();
    await probe.createIndex({ code: 1 }, { unique: true });
    await probe.createIndex({ group: 1, at: 1 });
    await probe.insertMany(
      Array.from({ length: DOCS }, (_, i) => ({ code: `C${i}`, group: i % 7, at: i, note: 'Hồ sơ Tết' })),
    );
    // Many small commits leave dead space, as a day of service does.
    for (let i = 0; i < 200; i += 1) await probe.updateOne({ code: `C${i}` }, { $inc: { at: DOCS } });
    const before = await probe.find({ group: 3 }).sort({ at: 1 }).toArray();
    await close();

    probe = await open();
    expect(await probe.countDocuments()).to.equal(DOCS);
    const names = (await probe.listIndexes().toArray()).map((index) => index.name as string);
    expect(names).to.include.members(['_id_', 'code_1', 'group_1_at_1']);
    const after = await probe.find({ group: 3 }).sort({ at: 1 }).toArray();
    expect(after).to.deep.equal(before);
    expect(after).to.have.length(Math.ceil((DOCS - 3) / 7));
    // The unique index was kept with its keys: a duplicate is still refused, a new code still accepted.
    const duplicate = await probe.insertOne({ code: 'C5', group: 0, at: 0 }).catch((error: unknown) => error);
    expect((duplicate as { code?: number }).code).to.equal(11000);
    await probe.insertOne({ code: `C${DOCS}`, group: 3, at: -1 });
    expect((await probe.find({ group: 3 }).sort({ at: 1 }).limit(1).toArray())[0]?.code).to.equal(`C${DOCS}`);
    await close();

    // A third open reads what the second wrote.
    probe = await open();
    expect(await probe.countDocuments()).to.equal(DOCS + 1);
  });
});
