import { defineModel } from '../core/db/model.js';
import { Schema, type InferSchemaType, type Types } from 'mongoose';
import { ORG_DELEGATIONS, ORG_KINDS, ORG_LEVELS } from '../core/shared/org-levels.js';
import { ORG_STATUSES, orgHistorySchema } from './org-history.js';

const orgSchema = new Schema(
  {
    code: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    shortName: { type: String, required: true },
    level: { type: String, required: true, enum: ORG_LEVELS },
    parentId: { type: Schema.Types.ObjectId, default: null },
    /** Province level only (SPEC §2); a stored province without it reads as a provincial federation (kindOf). */
    kind: { type: String, enum: [...ORG_KINDS, null], default: null },
    /** Commune level only: `["verify"]` when the province lets the commune union verify its grassroots unions' cases. */
    delegations: { type: [{ type: String, enum: ORG_DELEGATIONS }], default: [] },
    /** Ids from the root to this organisation itself: the subtree of X is `{ orgPath: X }`. */
    orgPath: { type: [Schema.Types.ObjectId], required: true, index: true },
    place: { type: String, default: '' },
    address: { type: String, default: '' },
    parentName: { type: String, default: '' },
    active: { type: Boolean, default: true },
    /** SPEC §2/§13: `dissolved` organisations keep their records but nobody acts in them; `active` mirrors it. */
    status: { type: String, enum: ORG_STATUSES, default: 'active' },
    dissolvedAt: { type: String, default: null },
    /** Where a dissolved organisation's children, members and open cases went (SPEC §13). */
    successorId: { type: Schema.Types.ObjectId, default: null },
    /** The province a merged province was dissolved into. */
    mergedInto: { type: Schema.Types.ObjectId, default: null },
    /** Read through GET /orgs/:id/history, so that org answers stay small. */
    history: { type: [orgHistorySchema], default: [], private: true },
    searchKey: { type: String, required: true, private: true },
  },
  { timestamps: true, collection: 'orgs' },
);

export type OrgDoc = InferSchemaType<typeof orgSchema> & { _id: Types.ObjectId };
export const Org = defineModel('Org', orgSchema);
