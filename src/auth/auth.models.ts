import { Schema } from 'mongoose';
import { defineModel } from '../core/db/model.js';

/**
 * Refresh tokens, stored as SHA-256 hashes. A family is one sign-in; each refresh marks its token used
 * and issues the next one in the family. A used token presented again means it was stolen: the family
 * is revoked. Expiry is checked in queries and cleaned periodically (TTL indexes do nothing on the
 * embedded engine, ENGINE-NOTES.md).
 */
const refreshTokenSchema = new Schema(
  {
    tokenHash: { type: String, required: true, unique: true },
    familyId: { type: String, required: true, index: true },
    userId: { type: Schema.Types.ObjectId, required: true, index: true },
    sessionVersion: { type: Number, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  { timestamps: true, collection: 'refresh_tokens' },
);
export const RefreshToken = defineModel('RefreshToken', refreshTokenSchema);

/** Failed-login counters per username (`user:…`) and per client address (`ip:…`), shared by all instances. */
const loginThrottleSchema = new Schema(
  {
    _id: { type: String, required: true },
    failures: { type: Number, required: true },
    windowStartedAt: { type: Date, required: true },
    lockedUntil: { type: Date, default: null },
  },
  { collection: 'login_throttles', versionKey: false },
);
export const LoginThrottle = defineModel('LoginThrottle', loginThrottleSchema);
