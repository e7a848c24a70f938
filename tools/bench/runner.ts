/**
 * A small benchmark runner: each benchmark times a subject beside a baseline measured in the same run (so
 * the ratio means something on any machine), as the median of several runs, and, when asked, compares their
 * peak memory, each measured alone in a fresh child process (a process's peak resident size only grows).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Job {
  name: string;
  /** Untimed work before every run of `run`, the warm-up included: fresh data for a run that uses it up. */
  prepare?: () => Promise<unknown>;
  run: () => Promise<unknown>;
  /** The warm-up, when a whole run costs too much to repeat for it (the same steps on a small list). */
  warmup?: () => Promise<unknown>;
}

export interface Benchmark {
  name: string;
  /** Timed runs of each side after one warm-up; the median is reported. */
  runs: number;
  baseline: Job;
  subject: Job;
  /** What one run handles (5,000 rows): times are then shown in seconds with a rate per second. */
  items?: { count: number; unit: string };
  /** Also compare peak memory (median of `memoryRuns` child processes per side). */
  memory?: { runs: number };
}

/** A whole-number setting from the environment (BENCH_RUNS, …), its default when unset; out of bounds stops the bench. */
export function intEnv(name: string, fallback: number, min: number, max: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be an integer from ${min} to ${max}`);
  return value;
}

/** The middle value of some runs (the upper one of an even count). */
export const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function timeOf(job: Job, runs: number): Promise<number> {
  if (job.warmup) {
    await job.warmup();
  } else {
    await job.prepare?.();
    await job.run();
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    await job.prepare?.();
    const started = performance.now();
    await job.run();
    times.push(performance.now() - started);
  }
  return median(times);
}

/** A median time as shown: milliseconds, or seconds and a rate when the benchmark counts items. */
function shown(bench: Benchmark, value: number): string {
  if (!bench.items) return ms(value);
  const rate = Math.round((bench.items.count * 1000) / value).toLocaleString('en');
  return `${(value / 1000).toFixed(2)} s, ${rate} ${bench.items.unit}/s`;
}

export interface ChildReport {
  baseRss: number;
  peakRss: number;
}

/** In a child: run one side once and report the process's resident size before it and at its peak. */
export async function childMeasure(job: Job): Promise<ChildReport> {
  await job.prepare?.();
  const baseRss = process.memoryUsage().rss;
  await job.run();
  // maxRSS is in kilobytes: the highest resident size of this process so far.
  return { baseRss, peakRss: process.resourceUsage().maxRSS * 1024 };
}

function peakInChild(script: string, index: number, side: 'baseline' | 'subject'): ChildReport {
  const child = spawnSync(process.execPath, ['--import', 'tsx', script, '--child', String(index), side], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`benchmark child failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as ChildReport;
}

export async function runBenchmarks(
  benchmarks: readonly Benchmark[],
  script: string = fileURLToPath(import.meta.url),
): Promise<void> {
  for (const [index, bench] of benchmarks.entries()) {
    console.log(`\n${bench.name}`);
    const base = await timeOf(bench.baseline, bench.runs);
    const subject = await timeOf(bench.subject, bench.runs);
    console.log(`  ${bench.subject.name}: ${shown(bench, subject)} (median of ${bench.runs})`);
    console.log(`  ${bench.baseline.name}: ${shown(bench, base)} (median of ${bench.runs})`);
    console.log(`  time ratio (${bench.subject.name} / ${bench.baseline.name}): ${(subject / base).toFixed(1)}`);
    if (!bench.memory) continue;
    const reports = (side: 'baseline' | 'subject') =>
      Array.from({ length: bench.memory!.runs }, () => peakInChild(script, index, side));
    const [baseMem, subjectMem] = [reports('baseline'), reports('subject')];
    const basePeak = median(baseMem.map((r) => r.peakRss));
    const subjectPeak = median(subjectMem.map((r) => r.peakRss));
    const added = (list: ChildReport[]) => median(list.map((r) => r.peakRss - r.baseRss));
    console.log(
      `  ${bench.subject.name}: peak memory ${mb(subjectPeak)} (+${mb(added(subjectMem))} over the loaded process), median of ${bench.memory.runs} processes`,
    );
    console.log(
      `  ${bench.baseline.name}: peak memory ${mb(basePeak)} (+${mb(added(baseMem))} over the loaded process)`,
    );
    console.log(
      `  peak memory ratio (${bench.subject.name} / ${bench.baseline.name}): ${(subjectPeak / basePeak).toFixed(2)}`,
    );
  }
}
