/**
 * Runs `work` over the items with at most `limit` running at once, resolving when all have ended. `work`
 * reports its own failures (one case's refusal must not stop the others), so nothing is thrown here.
 */
export async function runLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next]!;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
