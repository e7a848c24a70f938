/**
 * The H2 file under sustained updates (docs/operations.md "The H2 file under sustained writes"): the embedded engine
 * on a fresh file in a temporary directory, 50,000 documents of about 2 kB, then `updateOne`s with a `$push`, ten at
 * a time, for BENCH_GROWTH_SECONDS (default 60). Prints the file's size every 15 s, then the updates' latency, and
 * ends by reading every document back and checking that each acknowledged update is in it. Not part of
 * `npm run bench` (a minute of writes, and figures to read rather than a ratio).
 *
 * Run alone: `npx tsx tools/bench/h2-growth.ts`.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { startEmbeddedEngine } from '../../src/core/db/embedded.js';
import { intEnv } from './runner.js';

const DOCS = 50_000;
const AT_ONCE = 10;
const seconds = intEnv('BENCH_GROWTH_SECONDS', 60, 1, 3600);
const dir = mkdtempSync(join(tmpdir(), 'mai-am-h2-growth-'));
const engine = await startEmbeddedEngine({ backend: 'h2', dataDir: dir, heap: '2g' });
const client = await new mongoose.mongo.MongoClient(engine.uri, { maxPoolSize: AT_ONCE * 2 }).connect();
try {
  const docs = client.db().collection<{ _id: number; n: number; history: unknown[]; pad: string }>('docs');
  const size = () => `${(statSync(join(dir, 'mai-am.mv.db')).size / 1e6).toFixed(0)} MB`;
  for (let at = 0; at < DOCS; at += 5_000)
    await docs.insertMany(
      Array.from({ length: 5_000 }, (_, i) => ({
        _id: at + i,
        n: 0,
        history: [{ at: new Date(), note: 'x'.repeat(200) }],
        pad: 'y'.repeat(1_800),
      })),
    );
  console.log(`H2 file after ${DOCS.toLocaleString('en')} inserts: ${size()}`);
  const start = Date.now();
  let updates = 0;
  const latencies: number[] = [];
  let nextPrint = 15;
  const timer = setInterval(() => {
    const elapsed = (Date.now() - start) / 1000;
    if (elapsed < nextPrint) return;
    console.log(`  ${Math.round(elapsed)} s: ${updates.toLocaleString('en')} updates, file ${size()}`);
    nextPrint += 15;
  }, 250);
  await Promise.all(
    Array.from({ length: AT_ONCE }, async () => {
      while (Date.now() - start < seconds * 1000) {
        const began = performance.now();
        await docs.updateOne(
          { _id: Math.floor(Math.random() * DOCS) },
          { $inc: { n: 1 }, $push: { history: { at: new Date(), note: 'z'.repeat(100) } } },
        );
        latencies.push(performance.now() - began);
        updates += 1;
      }
    }),
  );
  clearInterval(timer);
  console.log(
    `after ${seconds} s: ${updates.toLocaleString('en')} updates (${Math.round(updates / seconds)}/s), file ${size()}`,
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    `${latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1)} ms`;
  console.log(`update latency: p50 ${at(0.5)}, p99 ${at(0.99)}, p99.9 ${at(0.999)}, max ${at(1)}`);
  const kept = (await docs.find({}, { projection: { n: 1 } }).toArray()).reduce((sum, d) => sum + d.n, 0);
  if (kept !== updates) throw new Error(`read back ${kept} updates of ${updates}`);
  console.log(`read back: every one of the ${updates.toLocaleString('en')} updates`);
} finally {
  await client.close();
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
}
