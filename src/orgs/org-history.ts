import { Schema } from 'mongoose';

export const ORG_STATUSES = ['active', 'dissolved'] as const;
export type OrgStatus = (typeof ORG_STATUSES)[number];

export const ORG_HISTORY_EVENTS = ['created', 'renamed', 'moved', 'dissolved', 'merged'] as const;
export type OrgHistoryEvent = (typeof ORG_HISTORY_EVENTS)[number];

/** One side of a history entry: the names are copied, so the entry keeps the names of its time. */
export interface OrgRef {
  id: string | null;
  name: string;
}

export interface OrgHistoryEntry {
  event: OrgHistoryEvent;
  from: OrgRef | null;
  to: OrgRef | null;
  effectiveDate: string;
  by: { userId: string | null; name: string };
  at: Date;
  reason: string;
  /** The reorganisation operation that wrote it: the same operation resumed never adds it twice. */
  operationId: string | null;
}

const ref = new Schema({ id: { type: String, default: null }, name: { type: String, default: '' } }, { _id: false });

export const orgHistorySchema = new Schema(
  {
    event: { type: String, enum: ORG_HISTORY_EVENTS, required: true },
    from: { type: ref, default: null },
    to: { type: ref, default: null },
    effectiveDate: { type: String, required: true },
    by: { type: new Schema({ userId: { type: String, default: null }, name: String }, { _id: false }), required: true },
    at: { type: Date, required: true },
    reason: { type: String, default: '' },
    operationId: { type: String, default: null },
  },
  { _id: false },
);

/** How reports and lists name an organisation: a dissolved one says so (SPEC §13). */
export function displayName(org: { name: string; status?: string | null }): string {
  return org.status === 'dissolved' ? `${org.name} (đã giải thể)` : org.name;
}
