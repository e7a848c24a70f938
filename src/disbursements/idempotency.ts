import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Types } from 'mongoose';
import { takeLease } from '../core/db/lease.js';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
import { AppError, ConflictError, ValidationError } from '../core/errors.js';
import { IdempotencyRecord } from './disbursements.model.js';

/** How long a key and its answer are kept: a client retrying a lost answer does so within minutes, not days. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60_000;
/** How long a repeat waits for the first request with its key to finish before answering 409. */
const WAIT_FOR_FIRST_MS = 10_000;
const KEY_FORMAT = /^[A-Za-z0-9._:-]{8,128}$/;

export interface StoredAnswer {
  status: number;
  body: unknown;
  /** True when this answer was stored by an earlier request with the same key. */
  replayed: boolean;
}

/** The `Idempotency-Key` header is required on payments: without it a retried request could pay twice. */
export function requireKey(header: string | undefined): string {
  const key = header?.trim();
  if (!key || !KEY_FORMAT.test(key)) {
    throw new ValidationError(
      [
        {
          path: 'Idempotency-Key',
          message:
            'Cần header Idempotency-Key: 8–128 ký tự chữ, số hoặc . _ : - (ví dụ một UUID mới cho mỗi khoản chi)',
        },
      ],
      'Thiếu hoặc sai header Idempotency-Key.',
    );
  }
  return key;
}

/** Keys in a fixed order at every depth, so that the same body always hashes the same. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical({ method, path, body })))
    .digest('hex');
}

function recordId(userId: string, key: string): string {
  return createHash('sha256').update(`${userId}\n${key}`).digest('hex');
}

function conflict(detail: string, extra: Record<string, unknown> = {}): ConflictError {
  return new ConflictError('IDEMPOTENCY_CONFLICT', detail, extra);
}

/**
 * Runs `work` at most once per caller and key (SPEC §7). The first request inserts the key (a unique `_id`
 * decides races on every engine), works, and stores its answer; a repeat with the same request gets that
 * answer again, a repeat with another request gets 409 IDEMPOTENCY_CONFLICT, and a repeat while the first
 * is still working waits for it. A refusal (4xx) moved no money, so its key is released for a corrected
 * retry. After an unexpected failure the key stays taken: money may have moved, and a retry must not
 * move it again (reconciliation shows what happened).
 */
export async function once(
  identity: { userId: string; key: string; requestHash: string; refs?: { caseId: string; entryId: Types.ObjectId } },
  work: () => Promise<{ status: number; body: unknown }>,
): Promise<StoredAnswer> {
  const id = recordId(identity.userId, identity.key);
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  for (;;) {
    const now = new Date();
    try {
      await IdempotencyRecord.create({
        _id: id,
        userId: identity.userId,
        key: identity.key,
        requestHash: identity.requestHash,
        state: 'in_progress',
        ...identity.refs,
        createdAt: now,
        expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
      });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await IdempotencyRecord.findById(id).lean();
      if (!existing) continue;
      if (existing.expiresAt <= now) {
        await IdempotencyRecord.deleteOne({ _id: id, expiresAt: { $lte: now } });
        continue;
      }
      if (existing.requestHash !== identity.requestHash) {
        throw conflict(
          'Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác. Hãy dùng khóa mới cho mỗi khoản chi.',
        );
      }
      if (existing.state === 'done')
        return { status: existing.responseStatus!, body: existing.responseBody, replayed: true };
      if (Date.now() >= deadline) {
        throw conflict(
          'Yêu cầu với khóa này đang được xử lý hoặc đã bị gián đoạn (khoản chi bị gián đoạn được hệ thống tự hoàn tất trong vài phút); hãy xem danh sách chi trả trước khi thử lại.',
          { inProgress: true },
        );
      }
      await sleep(100);
      continue;
    }
    return finish(id, work);
  }
}

async function finish(id: string, work: () => Promise<{ status: number; body: unknown }>): Promise<StoredAnswer> {
  let answer: { status: number; body: unknown };
  try {
    answer = await work();
  } catch (error) {
    if (error instanceof AppError && error.status < 500)
      await IdempotencyRecord.deleteOne({ _id: id, state: 'in_progress' });
    throw error;
  }
  await IdempotencyRecord.updateOne(
    { _id: id },
    { $set: { state: 'done', responseStatus: answer.status, responseBody: answer.body } },
  );
  return { ...answer, replayed: false };
}

/** Deletes keys past their expiry; the server runs it with the other periodic clean-ups. */
export async function purgeExpiredIdempotencyKeys(now = new Date()): Promise<number> {
  const result = await IdempotencyRecord.deleteMany({ expiresAt: { $lte: now } });
  return result.deletedCount ?? 0;
}

/** A payment whose request was cut off (a crash, an unexpected error) before its key got its answer. */
export interface InterruptedPayment {
  _id: string;
  caseId: string;
  entryId: Types.ObjectId;
  createdAt: Date;
}

/**
 * Keys of payments still working after `olderThan`: no request lasts that long, so each was cut off. Only keys that
 * name their payment's case and entry (written since the service finishes such payments) are answered.
 */
export async function interruptedPayments(olderThan: Date, limit: number): Promise<InterruptedPayment[]> {
  const found = await IdempotencyRecord.find(
    { state: 'in_progress', createdAt: { $lt: olderThan }, entryId: { $ne: null } },
    { caseId: 1, entryId: 1, createdAt: 1 },
  )
    .sort({ createdAt: 1 })
    .limit(limit)
    .lean();
  return found.filter((r): r is InterruptedPayment => Boolean(r.caseId && r.entryId));
}

/**
 * Takes a cut-off payment's key for one round for `ms`: false when another round has it (instances racing in one
 * round finish each payment once, and count it once). A round that fails leaves it to the next once `ms` has passed.
 */
export async function claimInterrupted(id: string, ms: number): Promise<boolean> {
  return takeLease(IdempotencyRecord.collection, { _id: id, state: 'in_progress' }, 'finishingUntil', ms);
}

/**
 * A reversal has no Idempotency-Key (SPEC §7: the payment flips once), but it moves money in the same steps as a
 * payment: it is tracked under a key of its own (`reversal:<entryId>`) while it runs, so that the service finishes it
 * if it is cut off (interrupted-payments.ts), and released when it is done.
 */
export const reversalKeyOf = (entryId: Types.ObjectId) => `reversal:${String(entryId)}`;

export async function trackReversal(userId: string, caseId: string, entryId: Types.ObjectId): Promise<void> {
  const now = new Date();
  const key = reversalKeyOf(entryId);
  await IdempotencyRecord.create({
    _id: key,
    userId,
    key,
    requestHash: key,
    state: 'in_progress',
    caseId,
    entryId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
  });
}

/** The payment was finished after all: its key answers what the request would have answered. */
export async function answerInterrupted(id: string, answer: { status: number; body: unknown }): Promise<void> {
  await IdempotencyRecord.updateOne(
    { _id: id, state: 'in_progress' },
    { $set: { state: 'done', responseStatus: answer.status, responseBody: answer.body } },
  );
}

/** The payment never took: its key is free again, so that the accountant's retry pays (and a reversal's key goes). */
export async function releaseInterrupted(id: string): Promise<void> {
  await IdempotencyRecord.deleteOne({ _id: id, state: 'in_progress' });
}
