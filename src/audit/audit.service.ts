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

export async function recordAudit(input: AuditInput): Promise<void> {
  await AuditEntry.create({
    action: input.action,
    entity: input.entity,
    entityId: input.entityId,
    actorId: input.actor?.userId ?? null,
    actorName: input.actor?.name ?? null,
    requestId: input.actor?.requestId ?? null,
    orgPath: [...(input.orgPath ?? [])],
    details: input.details ?? {},
  });
}
