/**
 * Runs `round` every `ms`, skipping a tick while the previous round is still running: a round slower than its period
 * (a large database, a slow engine) must not pile up copies of itself on the database. The timer does not keep the
 * process alive. `round` logs its own failures (server.ts); one that still escapes is dropped, and the next tick runs.
 */
export function everyWithoutOverlap(ms: number, round: () => Promise<unknown>): NodeJS.Timeout {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void round()
      .catch(() => undefined)
      .finally(() => {
        running = false;
      });
  }, ms);
  timer.unref();
  return timer;
}
