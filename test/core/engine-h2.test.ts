/**
 * The H2 file of the embedded engine (what `npm start` uses) opened again: our launcher skips the engine's passes over
 * every collection for the secondary indexes it does not keep and for the unique indexes whose keys are stored (even
 * when none is, as in a sparse index no document feeds yet), and compacts the file only when it is mostly dead space
 * (tools/embedded-mongo/EmbeddedMongo.java, StoredH2UniqueIndex.java). Opening again must still find every document
 * and index as they were, and a unique index made after opening must still be filled from the documents.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { startEmbeddedEngine, type EmbeddedEngine } from '../../src/core/db/embedded.js';
import { deleteInSlices, updateInSlices } from '../../src/core/db/paging.js';

const DOCS = 3_000;
const ids = (count: number) => Array.from({ length: count }, (_, id) => id);
const plain = (id: number) => ({ _id: id, group: id % 4, rank: id % 97 });
/** The launcher's RETENTION_MS, a second of its flushes and a margin: after this long, earlier chunks may be reused. */
const RETENTION_AND_A_TICK_MS = 3_000 + 1_000 + 1_500;

describe('Embedded engine: an H2 file opened again', function () {
  this.timeout(120_000);
  let dir = '';
  let engine: EmbeddedEngine | null = null;
  let client: mongoose.mongo.MongoClient | null = null;

  const openDatabase = async () => {
    engine = await startEmbeddedEngine({ backend: 'h2', dataDir: dir, database: 'h2-reopen', heap: '256m' });
    client = new mongoose.mongo.MongoClient(engine.uri);
    await client.connect();
    return client.db('h2-reopen');
  };
  const open = async () => (await openDatabase()).collection('probe');
  const codeOf = (error: unknown) => (error as { code?: number }).code;
  const close = async () => {
    await client?.close();
    await engine?.stop();
    client = null;
    engine = null;
  };

  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mai-am-h2-reopen-'))));
  afterEach(async () => {
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

  it('keeps sparse unique indexes that are empty or partly filled: a duplicate is refused, a document without the key accepted', async () => {
    let db = await openDatabase();
    // As the audit log's `seq` before any entry has one, and members' union card numbers that few members have.
    await db.collection('entries').createIndex({ seq: 1 }, { unique: true, sparse: true });
    await db.collection('members').createIndex({ cardNo: 1 }, { unique: true, sparse: true });
    await db.collection('entries').insertMany(Array.from({ length: 500 }, (_, i) => ({ n: i, kind: i % 2 })));
    await db
      .collection('members')
      .insertMany(Array.from({ length: 500 }, (_, i) => (i % 5 === 0 ? { n: i, cardNo: `T${i}` } : { n: i })));
    await db.collection('tags').insertMany([{ t: 'a' }, { t: 'a' }, { t: 'b' }]);
    await close();

    db = await openDatabase();
    let entries = db.collection('entries');
    let members = db.collection('members');
    expect(await entries.countDocuments()).to.equal(500);
    expect(await members.countDocuments()).to.equal(500);
    expect((await entries.listIndexes().toArray()).find((index) => index.name === 'seq_1')).to.include({
      unique: true,
      sparse: true,
    });
    // The partly filled index answers a lookup by its key (the engine reads its stored keys) and refuses a duplicate.
    expect((await members.find({ cardNo: 'T5' }).toArray()).map((doc) => doc.n as number)).to.deep.equal([5]);
    expect(codeOf(await members.insertOne({ n: 900, cardNo: 'T5' }).catch((error: unknown) => error))).to.equal(11000);
    await members.insertOne({ n: 901, cardNo: 'T901' });
    await members.insertMany([{ n: 902 }, { n: 903 }]);
    // The empty index takes its first key, then refuses it again; documents without the key still go in.
    await entries.insertOne({ n: 1000, seq: 1 });
    expect(codeOf(await entries.insertOne({ n: 1001, seq: 1 }).catch((error: unknown) => error))).to.equal(11000);
    await entries.insertMany([{ n: 1002 }, { n: 1003 }]);
    // An index made after opening is filled from the documents as before: duplicates among them stop it, and a new
    // document with a key one of them holds is refused.
    expect(
      codeOf(await entries.createIndex({ kind: 1 }, { unique: true, sparse: true }).catch((error: unknown) => error)),
    ).to.equal(11000);
    await members.createIndex({ n: 1 }, { unique: true });
    expect(codeOf(await members.insertOne({ n: 3 }).catch((error: unknown) => error))).to.equal(11000);
    const tags = db.collection('tags');
    expect(codeOf(await tags.createIndex({ t: 1 }, { unique: true }).catch((error: unknown) => error))).to.equal(11000);
    await tags.deleteOne({ t: 'a' });
    await close();

    // A third open keeps what the second wrote, and the index made after the second open.
    db = await openDatabase();
    entries = db.collection('entries');
    members = db.collection('members');
    expect(await entries.countDocuments()).to.equal(503);
    expect(await members.countDocuments()).to.equal(503);
    expect((await entries.find({ seq: 1 }).toArray()).map((doc) => doc.n as number)).to.deep.equal([1000]);
    expect(codeOf(await entries.insertOne({ seq: 1 }).catch((error: unknown) => error))).to.equal(11000);
    expect(codeOf(await members.insertOne({ cardNo: 'T901' }).catch((error: unknown) => error))).to.equal(11000);
    expect(codeOf(await members.insertOne({ n: 4 }).catch((error: unknown) => error))).to.equal(11000);
    expect((await members.find({ n: 903 }).toArray()).map((doc) => doc.cardNo as unknown)).to.deep.equal([undefined]);
    await members.insertOne({ n: 904 });
    // The failed index left its empty keys in the file: made again now, it is still filled from the documents.
    await db.collection('tags').createIndex({ t: 1 }, { unique: true });
    expect(
      codeOf(
        await db
          .collection('tags')
          .insertOne({ t: 'b' })
          .catch((error: unknown) => error),
      ),
    ).to.equal(11000);
  });

  it('when documents are updated in rounds with pauses, then the file reuses the space of the chunks written before, and every update is kept after a kill -9', async () => {
    const db = await openDatabase();
    const probe = db.collection<{ _id: number; n: number; history: { at: Date; note: string }[]; pad: string }>(
      'probe',
    );
    const count = 1_000;
    await probe.insertMany(
      Array.from({ length: count }, (_, i) => ({ _id: i, n: 0, history: [], pad: 'Mái ấm Công đoàn '.repeat(100) })),
    );
    const file = join(dir, 'mai-am.mv.db');
    const size = () => statSync(file).size;
    // What the engine has written so far (write calls, /proc/PID/io): the chunks it wrote, and its answers, which are
    // small beside them.
    const written = () => Number(/^wchar: (\d+)$/m.exec(readFileSync(`/proc/${engine!.pid}/io`, 'utf8'))![1]);
    let updates = 0;
    // Updates as a list job makes them: ten at a time, each one commit of its own.
    const burst = async (total: number) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          while (next < total) {
            next += 1;
            await probe.updateOne(
              { _id: (updates * 7) % count },
              { $inc: { n: 1 }, $push: { history: { at: new Date(), note: 'Đã chi' } } },
            );
            updates += 1;
          }
        }),
      );
    };
    const sizeBefore = size();
    const writtenBefore = written();
    for (let round = 0; round < 3; round += 1) {
      if (round > 0) await sleep(RETENTION_AND_A_TICK_MS);
      await burst(2_000);
    }
    const grown = size() - sizeBefore;
    const wrote = written() - writtenBefore;
    // Where no chunk is ever reused, the file grows by what was written (0.996-0.997 of it, idle and busy, measured
    // with the launcher's retention set to H2's default 45 s). Where the space of dead chunks is reused once they are
    // older than the retention, each round after a pause writes over the rounds before it: 0.33 on an idle machine,
    // 0.29-0.32 with the load at 10-20 on two cores, where a round outlasts the retention and reuses its own early
    // chunks too (docs/operations.md). The file's growth alone told nothing under load: a faster round holds more
    // chunks within the retention, and its growth beside a slower first round's was 0.3-1.3.
    expect(grown / wrote, `grew ${grown} bytes, wrote ${wrote}`).to.be.below(0.7);

    // The chunks written again in the background and the space reused lose nothing acknowledged.
    process.kill(engine!.pid, 'SIGKILL');
    await client!.close(true).catch(() => undefined);
    client = null;
    engine = null;
    const reopened = (await openDatabase()).collection<{ n: number; history: unknown[] }>('probe');
    const docs = await reopened.find({}).toArray();
    expect(docs).to.have.length(count);
    expect(docs.reduce((sum, d) => sum + d.n, 0)).to.equal(updates);
    expect(docs.every((d) => d.history.length === d.n)).to.equal(true);
  });

  it('when the engine is not ready within its start time-out, then the start fails naming EMBEDDED_START_TIMEOUT_SECONDS', async () => {
    const failure = await startEmbeddedEngine({
      backend: 'h2',
      dataDir: dir,
      heap: '256m',
      startTimeoutSeconds: 0.01,
    }).then(
      (started) => started.stop().then(() => null),
      (error: unknown) => error,
    );
    expect(String(failure)).to.contain('did not start within 0.01 s').and.to.contain('EMBEDDED_START_TIMEOUT_SECONDS');
  });

  it("when a collection holds more than the heap, then a count, a grouped read, a sorted page and a read of every document in batches still answer, in the engine's order, and most of it is updated and deleted a slice at a time", async function () {
    this.timeout(240_000);
    // 64 MB of heap; 24,000 documents of 4 KB each (96 MB as text, more as objects). The engine's own aggregation read
    // every document into one list first, and a sorted query kept every match: both ran out of memory here, as
    // 1,000,000 cases did with 2 GB (docs/operations.md).
    engine = await startEmbeddedEngine({ backend: 'h2', dataDir: dir, database: 'h2-heap', heap: '64m' });
    client = new mongoose.mongo.MongoClient(engine.uri, { serverSelectionTimeoutMS: 20_000 });
    await client.connect();
    const probe = client.db('h2-heap').collection<{ _id: number; group: number; rank: number; pad: string }>('probe');
    const total = 24_000;
    const pad = 'Mái ấm Công đoàn Tết '.repeat(200);
    for (let start = 0; start < total; start += 1_000) {
      await probe.insertMany(
        Array.from({ length: 1_000 }, (_, i) => ({
          _id: start + i,
          group: (start + i) % 4,
          rank: (start + i) % 97,
          pad,
        })),
      );
    }
    expect(await probe.countDocuments({})).to.equal(total);
    expect(await probe.countDocuments({ group: 1 })).to.equal(total / 4);
    const groups = await probe
      .aggregate<{ _id: number; n: number }>([{ $group: { _id: '$group', n: { $sum: 1 } } }, { $sort: { _id: 1 } }])
      .toArray();
    expect(groups).to.deep.equal([0, 1, 2, 3].map((group) => ({ _id: group, n: total / 4 })));
    // Ties on rank keep the order the documents are read in (_id here), as the engine's stable sort gave them.
    const page = await probe
      .find({ group: { $in: [1, 2] } }, { projection: { pad: 0 } })
      .sort({ rank: -1 })
      .skip(5)
      .limit(20)
      .toArray();
    const expected = Array.from({ length: total }, (_, id) => ({ _id: id, group: id % 4, rank: id % 97 }))
      .filter((doc) => doc.group === 1 || doc.group === 2)
      .sort((a, b) => b.rank - a.rank || a._id - b._id)
      .slice(5, 25);
    expect(page).to.deep.equal(expected);
    // A read of every document in batches (the report rebuild's of every case): the engine's own read every match
    // into one list before the first batch, and ran out of memory here, as 1,000,000 cases did with 2 GB.
    let [seen, last, ordered] = [0, -1, true];
    for await (const doc of probe.find({ group: { $in: [0, 1, 2, 3] } }, { batchSize: 500 })) {
      ordered &&= doc._id > last && doc.pad === pad;
      [seen, last] = [seen + 1, doc._id];
    }
    expect([seen, last, ordered]).to.deep.equal([total, total - 1, true]);
    const projected = await probe.find({ group: 1 }, { projection: { pad: 0 }, batchSize: 700 }).toArray();
    expect(projected).to.deep.equal(
      ids(total)
        .filter((id) => id % 4 === 1)
        .map(plain),
    );
    // An update and a delete of most of them a slice of ids at a time (core/db/paging.ts): one `updateMany` of every
    // document here ended the engine within 4 s (a scratch run, docs/operations.md), as a province's merger would.
    const everyGroup = { group: { $in: [0, 1, 2, 3] } };
    expect(await updateInSlices(probe, everyGroup, { $set: { rank: -1 } })).to.equal(total);
    expect(await probe.countDocuments({ rank: -1 })).to.equal(total);
    await deleteInSlices(probe, { group: { $in: [1, 2, 3] } });
    expect(await probe.countDocuments({})).to.equal(total / 4);
    expect(await probe.countDocuments({ group: 0, rank: -1 })).to.equal(total / 4);
  });

  it('when documents change while a cursor reads in batches, then each key is read once, as it is when the cursor reaches it, and one inserted after its place is read too', async () => {
    const probe = (await openDatabase()).collection<{ _id: number; group: number; rank: number }>('probe');
    await probe.insertMany(ids(DOCS).map((id) => ({ _id: id, group: id % 4, rank: 0 })));
    const cursor = probe.find({ group: { $ne: 3 } }, { batchSize: 400 });
    const read: { _id: number; rank: number }[] = [];
    for (let i = 0; i < 400; i += 1) read.push((await cursor.next())!);
    // The first batch is read; the cursor's place is after the 533rd key (400 of them matched).
    await probe.updateOne({ _id: 1_500 }, { $set: { rank: 7 } });
    await probe.updateOne({ _id: 10 }, { $set: { rank: 7 } });
    await probe.deleteOne({ _id: 2_500 });
    await probe.insertOne({ _id: DOCS + 1, group: 0, rank: 0 });
    for await (const doc of cursor) read.push(doc);
    const expected = [...ids(DOCS).filter((id) => id % 4 !== 3 && id !== 2_500), DOCS + 1];
    expect(read.map((d) => d._id)).to.deep.equal(expected);
    expect(read.filter((d) => d.rank === 7).map((d) => d._id)).to.deep.equal([1_500]);
  });

  it('when the engine opens its file, then its page cache is an eighth of its heap and the start says so', async () => {
    const lines: string[] = [];
    engine = await startEmbeddedEngine({ backend: 'h2', dataDir: dir, heap: '1g', log: (line) => lines.push(line) });
    // The JVM's largest heap is a little under -Xmx (a survivor space is left out), so 1g gives a little under 128 MB.
    const said = lines.map((line) => /page cache: (\d+) MB/.exec(line)?.[1]).find(Boolean);
    expect(Number(said)).to.be.within(120, 128);
    const small: string[] = [];
    await close();
    engine = await startEmbeddedEngine({ backend: 'h2', dataDir: dir, heap: '64m', log: (line) => small.push(line) });
    // Never below H2's own default of 16 MB.
    expect(small.some((line) => line.includes('page cache: 16 MB'))).to.equal(true);
  });
});
