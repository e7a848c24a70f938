import { defineModel } from '../core/db/model.js';
import { Schema, type InferSchemaType, type Types } from 'mongoose';
import { ROLES } from '../core/shared/roles.js';

const userSchema = new Schema(
  {
    /** Stored in lower case; logins match case-insensitively. */
    username: { type: String, required: true, unique: true },
    passwordHash: { type: String, required: true, private: true },
    fullName: { type: String, required: true },
    title: { type: String, default: '' },
    orgId: { type: Schema.Types.ObjectId, required: true },
    orgPath: { type: [Schema.Types.ObjectId], required: true, index: true },
    roles: { type: [{ type: String, enum: ROLES }], required: true },
    active: { type: Boolean, default: true },
    /** Raised when a user is disabled or their password changes: older access and refresh tokens stop working. */
    sessionVersion: { type: Number, default: 0, private: true },
    lastLoginAt: { type: Date, default: null },
    searchKey: { type: String, required: true, private: true },
  },
  { timestamps: true, collection: 'users' },
);

export type UserDoc = InferSchemaType<typeof userSchema> & { _id: Types.ObjectId };
export const User = defineModel('User', userSchema);
