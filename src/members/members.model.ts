import { defineModel } from '../core/db/model.js';
import { Schema, type InferSchemaType, type Types } from 'mongoose';

/**
 * A union member (SPEC §3). Calendar dates (birth, joining) are kept as `YYYY-MM-DD` strings: they are
 * days, not instants, and must not shift with time zones.
 */
const memberSchema = new Schema(
  {
    fullName: { type: String, required: true },
    /** Lower case without diacritics: name search ignores accents and case (the engine ignores collations). */
    searchName: { type: String, required: true, private: true },
    dateOfBirth: { type: String, required: true },
    gender: { type: String, required: true, enum: ['male', 'female'] },
    citizenId: { type: String, required: true, unique: true },
    unionCardNo: { type: String, unique: true, sparse: true },
    joinedUnionAt: { type: String, required: true },
    orgId: { type: Schema.Types.ObjectId, required: true },
    orgPath: { type: [Schema.Types.ObjectId], required: true, index: true },
    phone: { type: String, default: '' },
    address: {
      province: { type: String, default: '' },
      commune: { type: String, default: '' },
      detail: { type: String, default: '' },
    },
    bankAccount: {
      type: new Schema({ bankBin: String, accountNo: String, accountName: String }, { _id: false }),
      default: null,
    },
    createdBy: { type: Schema.Types.ObjectId, required: true },
    /** SPEC §3: a member whose membership ended stays on record but is not eligible for a new case. */
    membershipEndedAt: { type: String, default: null },
    membershipEndReason: { type: String, default: null },
  },
  { timestamps: true, collection: 'members' },
);

export type MemberDoc = InferSchemaType<typeof memberSchema> & { _id: Types.ObjectId };
export const Member = defineModel('Member', memberSchema);
