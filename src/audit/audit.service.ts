import type { Types } from 'mongoose';
import { AuditEntry } from './audit.model.js';

export interface AuditInput {
  action: string;
  entity: string;
  entityId: string;
  actor: { userId: string; name: string; requestId: string } | null;
  orgPath?: readonly (string | Types.ObjectId)[];
  details?: Record<string, unknown>;
}

function entryOf(input: AuditInput) {
  return {
    action: input.action,
    entity: input.entity,
    entityId: input.entityId,
    actorId: input.actor?.userId ?? null,
    actorName: input.actor?.name ?? null,
    requestId: input.actor?.requestId ?? null,
    orgPath: [...(input.orgPath ?? [])],
    details: input.details ?? {},
  };
}

export async function recordAudit(input: AuditInput): Promise<void> {
  await AuditEntry.create(entryOf(input));
}

/** Many entries in one write (a list's cases and members), each the entry `recordAudit` would make. */
export async function recordAudits(inputs: readonly AuditInput[]): Promise<void> {
  if (inputs.length) await AuditEntry.insertMany(inputs.map(entryOf));
}
