/**
 * A process-local cache of a few reads every request repeats (the signed-in user, a program and its province's
 * rules, the verifier of a union), kept for `ttlMs` at most. On the embedded engine each read is a round trip
 * that waits its turn behind every other request's (ENGINE-NOTES.md), so these reads cost as much as the case
 * itself (docs/benchmarks.md, "Request path").
 *
 * - A write made through this process calls `clear()`, so this instance sees it at once; another instance sees
 *   it within `ttlMs`. A read that was under way when `clear()` ran is answered but not kept.
 * - Callers missing the same key at the same moment share one read.
 * - Values are shared between requests: callers must not change them.
 * - At most `maxEntries` keys; past that the cache starts over (it holds small national or per-user data).
 */
export class ShortCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string, load: () => PromiseLike<V>): Promise<V> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.value;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    // A mongoose query is a thenable that runs again on each `then`: it runs once here.
    const value = Promise.resolve(load());
    const entry = { value, until: now + this.ttlMs };
    this.entries.set(key, entry);
    // A failed read is not kept. (A read under way when `clear()` ran is no longer in the map: it is not kept either.)
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  /** Forgets everything: the next read of every key goes to the database. */
  clear(): void {
    this.entries.clear();
  }
}
