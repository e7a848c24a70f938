import type { Db } from 'mongodb';

/**
 * One versioned change to a stored database. `up` must be idempotent and resumable: the runner records an id
 * only after `up` returned, so a start killed half-way runs the same `up` again, and a lock that expired under
 * a very slow `up` may let a second instance run it at the same time.
 */
export interface Migration {
  /** Never renamed once released: e.g. `2026-12-audit-chain`. */
  id: string;
  description: string;
  up(db: Db): Promise<void>;
}
