import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from 'mongodb';
import { onlyDuplicateKeys } from '../core/db/mongo-errors.js';
import { advanceHead, appendEntries, type ChainHead, type EntryContent } from './chain.js';

/** Entries per insert: a list action auditing thousands of cases writes them in a few inserts. */
const MAX_BATCH = 500;
/**
 * The head document is moved at most this often by one instance (the last head reached is written when the time
 * comes). Under load an update per insert was most of what the engine did for an audited read (docs/benchmarks.md).
 */
const HEAD_INTERVAL_MS = 200;

interface Waiting {
  contents: readonly EntryContent[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * One queue per database and process. The chain is a single line, so its writers take turns anyway: here the
 * requests of one instance take turns in memory and go out together in one insert, and only writers of other
 * instances meet at the unique index (and retry).
 */
class ChainWriter {
  private readonly waiting: Waiting[] = [];
  private running = false;
  private lastHead: ChainHead | null = null;
  private headToWrite: ChainHead | null = null;
  private advancing: Promise<void> | null = null;

  constructor(private readonly db: Db) {}

  append(contents: readonly EntryContent[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ contents, resolve, reject });
      void this.drain();
    });
  }

  private takeBatch(): Waiting[] {
    const batch: Waiting[] = [];
    let size = 0;
    while (this.waiting.length && (batch.length === 0 || size + this.waiting[0]!.contents.length <= MAX_BATCH)) {
      const next = this.waiting.shift()!;
      batch.push(next);
      size += next.contents.length;
    }
    return batch;
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.waiting.length) {
        const batch = this.takeBatch();
        try {
          this.lastHead = await appendEntries(
            this.db,
            batch.flatMap((waiting) => waiting.contents),
            this.lastHead,
            { advance: false },
          );
          // The entries stand: their requests go on while the head document follows (it may lag, chain.ts).
          batch.forEach((waiting) => waiting.resolve());
          this.advanceHead(this.lastHead);
        } catch (error) {
          this.lastHead = null;
          await this.oneByOne(batch, error);
        }
      }
    } finally {
      this.running = false;
    }
  }

  /**
   * Moves the head document to `head` without holding up the requests that wrote up to it, one update at a time
   * and at most one per `HEAD_INTERVAL_MS`: heads reached meanwhile are merged into the next update (`advanceHead`
   * only ever moves it forward). The head may lag by design (chain.ts `findHead` walks on from it), so the pause
   * costs nothing but a few more lookups for another instance's first append.
   */
  private advanceHead(head: ChainHead): void {
    this.headToWrite = head;
    if (this.advancing) return;
    this.advancing = (async () => {
      while (this.headToWrite) {
        const next = this.headToWrite;
        this.headToWrite = null;
        await advanceHead(this.db, next).catch(() => undefined);
        // Not holding the process open: a stopping service does not wait for the pause.
        await sleep(HEAD_INTERVAL_MS, undefined, { ref: false });
      }
      this.advancing = null;
    })();
  }

  /** One request's bad entry must not fail the others that shared its insert: each is tried alone. */
  private async oneByOne(batch: readonly Waiting[], error: unknown): Promise<void> {
    if (batch.length === 1 || onlyDuplicateKeys(error)) {
      batch.forEach((waiting) => waiting.reject(error));
      return;
    }
    for (const waiting of batch) {
      await appendEntries(this.db, waiting.contents).then((head) => {
        this.lastHead = head;
        waiting.resolve();
      }, waiting.reject);
    }
  }
}

const writers = new WeakMap<Db, ChainWriter>();

export function appendToChain(db: Db, contents: readonly EntryContent[]): Promise<void> {
  if (!contents.length) return Promise.resolve();
  let writer = writers.get(db);
  if (!writer) {
    writer = new ChainWriter(db);
    writers.set(db, writer);
  }
  return writer.append(contents);
}
