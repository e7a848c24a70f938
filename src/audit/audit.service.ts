import { createHash } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import type { Db } from 'mongodb';
import { AuditEntry } from './audit.model.js';
import { asStored } from './canonical.js';
import type { EntryContent } from './chain.js';
import { appendToChain } from './writer.js';

export interface AuditInput {
  action: string;
  entity: string;
  entityId: string;
  actor: { userId: string; name: string; requestId: string } | null;
  orgPath?: readonly (string | Types.ObjectId)[];
  details?: Record<string, unknown>;
}

/** The stored fields of an entry, in the form the database gives back, so its hash is the one recomputed later. */
function contentOf(input: AuditInput, id: Types.ObjectId = new Types.ObjectId()): EntryContent {
  return asStored({
    _id: id,
    at: new Date(),
    action: input.action,
    entity: input.entity,
    entityId: input.entityId,
    actorId: input.actor?.userId ?? null,
    actorName: input.actor?.name ?? null,
    requestId: input.actor?.requestId ?? null,
    orgPath: (input.orgPath ?? []).map((id) => new Types.ObjectId(String(id))),
    details: input.details ?? {},
  });
}

function defaultDb(): Db {
  const db = mongoose.connection.db;
  if (!db) throw new Error('audit: the database is not connected');
  return db;
}

/** Appends one entry to the audit chain; resolves once it is stored. */
export async function recordAudit(input: AuditInput, db: Db = defaultDb()): Promise<void> {
  await appendToChain(db, [contentOf(input)]);
}

/** Many entries at consecutive positions (a list's cases and members), each the entry `recordAudit` would make. */
export async function recordAudits(inputs: readonly AuditInput[], db: Db = defaultDb()): Promise<void> {
  await appendToChain(
    db,
    inputs.map((input) => contentOf(input)),
  );
}

/** Of some entities, those that already have an entry of `action` (work taken up again after a crash). */
export async function auditedEntities(action: string, entity: string, ids: readonly string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const found = await AuditEntry.find({ entity, entityId: { $in: ids }, action }, { entityId: 1 }).lean<
    { entityId: string }[]
  >();
  return new Set(found.map((e) => e.entityId));
}

/**
 * The `_id` of a chunk's entry: the same for the same chunk, action and entity whoever writes it. Its first four bytes
 * are the time of the chunk's job (the mark begins with the job's id), as an ObjectId's are; the rest is a hash.
 */
export function chunkEntryId(chunk: string, input: Pick<AuditInput, 'action' | 'entity' | 'entityId'>): Types.ObjectId {
  const hash = createHash('sha256').update(`${chunk}|${input.action}|${input.entity}|${input.entityId}`).digest('hex');
  const jobTime = /^[0-9a-f]{24}/.test(chunk) ? chunk.slice(0, 8) : hash.slice(0, 8);
  return new Types.ObjectId(`${jobTime}${hash.slice(8, 24)}`);
}

/** Of some entries as `recordAuditsOnce` names them (`chunkEntryId`), the ids of those stored already. */
export async function storedEntryIds(ids: readonly Types.ObjectId[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const found = await AuditEntry.find({ _id: { $in: [...ids] } }, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>();
  return new Set(found.map((e) => String(e._id)));
}

/**
 * Entries of one action on many entities (a list job's chunk, its mark `chunk`), appended at once. Each entry's
 * `_id` is made of the chunk, the action and the entity, so that the same entry appended twice stands once: an
 * instance that lost its job without knowing it may append a chunk's entries while the instance that took the job
 * over finishes the same chunk; the log's `_id` index refuses the second insert, and the chain's append leaves out
 * what is stored already (chain.ts `notStored`). When the chunk may have been audited before (taken up again after
 * a crash: `lookFirst`), the entities that have an entry of the action already are left out first, whatever their
 * entries' ids (an attempt of an earlier version).
 */
export async function recordAuditsOnce(
  inputs: readonly AuditInput[],
  { chunk, lookFirst }: { chunk: string; lookFirst: boolean },
  db: Db = defaultDb(),
): Promise<void> {
  const [first] = inputs;
  if (!first) return;
  const audited = lookFirst
    ? await auditedEntities(
        first.action,
        first.entity,
        inputs.map((i) => i.entityId),
      )
    : new Set<string>();
  const left = inputs.filter((i) => !audited.has(i.entityId));
  if (left.length)
    await appendToChain(
      db,
      left.map((input) => contentOf(input, chunkEntryId(chunk, input))),
    );
}
