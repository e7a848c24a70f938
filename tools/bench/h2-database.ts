/**
 * The generated database on the H2 backend, the one `npm start` uses (issue 18: the yearly summary and a case read at
 * 1,000,000 cases, the time to open the H2 file, the engine's resident memory). `BENCH_BACKEND=h2` makes database.ts
 * use it instead of the memory backend.
 *
 * Generating 1,000,000 cases takes about half an hour here, so the data directory is kept (`BENCH_H2_DIR`, default
 * `<tmp>/mai-am-bench-h2-<cases>`) with what the bench needs to know about it (`bench-data.json`) and reused by the
 * next run of the same size. Each run then opens the file with the engine's heap as the service configures it
 * (EMBEDDED_MONGO_HEAP, default 2g) and times the open: the engine ready on its port, then the first case read by id.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Case } from '../../src/cases/cases.model.js';
import { connectDatabase, disconnectDatabase } from '../../src/core/db/connection.js';
import { startEmbeddedEngine } from '../../src/core/db/embedded.js';
import { generateDatabase, type GeneratedDatabase } from './generate.js';
import { residentBytes } from './process-memory.js';

const META = 'bench-data.json';
const DATABASE = 'mai-am-bench';

type Kept = Omit<GeneratedDatabase, 'engine' | 'uri' | 'close'>;

export interface OpenedH2 {
  /** Seconds from starting the engine to its port answering, and to the first case read by id. */
  ready: number;
  firstRead: number;
  /** The engine's resident memory right after the first read. */
  engineRss: number;
  heap: string;
  dir: string;
  reused: boolean;
}

export async function h2Database(
  cases: number,
  log: (line: string) => void,
): Promise<GeneratedDatabase & { opened: OpenedH2 }> {
  const dir = process.env.BENCH_H2_DIR ?? join(tmpdir(), `mai-am-bench-h2-${cases}`);
  const metaFile = join(dir, META);
  const kept = existsSync(metaFile) ? (JSON.parse(readFileSync(metaFile, 'utf8')) as Kept) : null;
  const reused = kept?.counts.cases === cases;
  if (!reused) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    log(`  generating ${cases.toLocaleString('en')} cases into the H2 file under ${dir} (kept for the next run)`);
    const generated = await generateDatabase({ cases, backend: 'h2', dataDir: dir, log });
    const { engine: _engine, uri: _uri, close, ...rest } = generated;
    writeFileSync(metaFile, JSON.stringify(rest));
    await close();
  } else log(`  reusing the H2 file under ${dir} (${cases.toLocaleString('en')} cases, BENCH_H2_DIR)`);
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as Kept;

  const heap = process.env.EMBEDDED_MONGO_HEAP ?? '2g';
  const begun = performance.now();
  const engine = await startEmbeddedEngine({ backend: 'h2', dataDir: dir, database: DATABASE, heap, log });
  const ready = (performance.now() - begun) / 1000;
  await connectDatabase(engine.uri);
  const first = await Case.findById(meta.sampleCaseIds[0]).lean();
  if (!first) throw new Error('the reopened H2 file has no sample case');
  const firstRead = (performance.now() - begun) / 1000;
  const opened: OpenedH2 = { ready, firstRead, engineRss: residentBytes(engine.pid, 'VmRSS'), heap, dir, reused };
  return {
    ...meta,
    engine,
    uri: engine.uri,
    opened,
    close: async () => {
      await disconnectDatabase();
      await engine.stop();
    },
  };
}
