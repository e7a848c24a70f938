import type { Request } from 'express';

/**
 * The revision the client saw: the `revision` field, or an `If-Match` header (`3`, `"3"` or `W/"3"`).
 * Answers undefined when neither is given; the service then refuses the write.
 */
export function revisionOf(req: Request): number | undefined {
  const fromBody = (req.body as { revision?: unknown } | undefined)?.revision;
  if (typeof fromBody === 'number') return fromBody;
  const header = req.get('if-match');
  const match = header ? /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim()) : null;
  return match ? Number(match[1]) : undefined;
}
