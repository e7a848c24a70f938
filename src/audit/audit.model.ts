import { defineModel } from '../core/db/model.js';
import { Schema } from 'mongoose';

/** Append-only: the code inserts and reads, never updates or deletes. */
const auditSchema = new Schema(
  {
    at: { type: Date, required: true, default: () => new Date() },
    action: { type: String, required: true },
    entity: { type: String, required: true },
    entityId: { type: String, required: true },
    actorId: { type: String, default: null },
    actorName: { type: String, default: null },
    requestId: { type: String, default: null },
    orgPath: { type: [Schema.Types.ObjectId], default: [] },
    details: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'audit_log', versionKey: false },
);
auditSchema.index({ entity: 1, entityId: 1, at: 1 });

export const AuditEntry = defineModel('AuditEntry', auditSchema);
