import { defineModel } from '../core/db/model.js';
import { Schema, type InferSchemaType, type Types } from 'mongoose';
import { ORG_LEVELS } from '../core/roles.js';

const orgSchema = new Schema(
  {
    code: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    shortName: { type: String, required: true },
    level: { type: String, required: true, enum: ORG_LEVELS },
    parentId: { type: Schema.Types.ObjectId, default: null },
    /** Ids from the root to this organisation itself: the subtree of X is `{ orgPath: X }`. */
    orgPath: { type: [Schema.Types.ObjectId], required: true, index: true },
    place: { type: String, default: '' },
    address: { type: String, default: '' },
    parentName: { type: String, default: '' },
    active: { type: Boolean, default: true },
    searchKey: { type: String, required: true, private: true },
  },
  { timestamps: true, collection: 'orgs' },
);

export type OrgDoc = InferSchemaType<typeof orgSchema> & { _id: Types.ObjectId };
export const Org = defineModel('Org', orgSchema);
