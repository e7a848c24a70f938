/**
 * `npm run bench`: every benchmark of the list below, each beside its baseline (see runner.ts). Not part of
 * `npm test`. Add a feature's benchmarks by appending its list here.
 */
import { fileURLToPath } from 'node:url';
import { batchBenchmarks } from './batches.js';
import { runDatabaseBenchmarks } from './database.js';
import { decisionBenchmarks } from './decisions.js';
import { runRestartBenchmark } from './restart.js';
import { childMeasure, runBenchmarks, type Benchmark } from './runner.js';
import { runWebBenchmarks } from './web.js';

export const BENCHMARKS: Benchmark[] = [...decisionBenchmarks, ...batchBenchmarks];

const [mode, index, side] = process.argv.slice(2);
if (mode === '--child') {
  const bench = BENCHMARKS[Number(index)]!;
  console.log(JSON.stringify(await childMeasure(side === 'baseline' ? bench.baseline : bench.subject)));
} else if (['requests', 'lists', 'database', 'rebuild'].includes(process.env.BENCH_ONLY ?? '')) {
  // Only the case read/create throughput, only the list steps, the whole database part (database.ts), or the
  // report rebuild.
  await runDatabaseBenchmarks();
} else {
  console.log(`Mái ấm benchmarks — Node ${process.version}, ${new Date().toISOString()}`);
  // BENCH_ONLY=summary: only the yearly summary beside its floor (generation included), for quick before/after.
  const only = process.env.BENCH_ONLY ?? '';
  if (only && only !== 'summary')
    throw new Error(`BENCH_ONLY: unknown part ${only} (known: requests, summary, lists, database, rebuild)`);
  if (!only) await runBenchmarks(BENCHMARKS, fileURLToPath(import.meta.url));
  await runDatabaseBenchmarks({ summaryOnly: only === 'summary' });
  if (!only) {
    await runWebBenchmarks();
    await runRestartBenchmark();
  }
}
