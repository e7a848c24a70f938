import { defineModel } from '../core/db/model.js';
import { Schema } from 'mongoose';

/**
 * Append-only: the code inserts and reads, never updates or deletes. Entries are written by the chain
 * (chain.ts) through the driver, not through this model, so that the hash covers exactly what is stored.
 */
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
    /** Position in the database's one chain, from 1; `prevHash` is the entry before's `hash` (SHA-256, hex). */
    seq: { type: Number },
    prevHash: { type: String },
    hash: { type: String },
  },
  { collection: 'audit_log', versionKey: false },
);
auditSchema.index({ entity: 1, entityId: 1, at: 1 });
// Same index as ensureChain creates: one entry per position, entries older than the chain without one.
auditSchema.index({ seq: 1 }, { unique: true, sparse: true });

export const AuditEntry = defineModel('AuditEntry', auditSchema);
