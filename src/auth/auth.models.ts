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

/**
 * Failed-login counters, shared by all instances: one per username × client address (`pair:…`, which alone
 * can be locked) and one per address (`address:…`, which only slows). Expiry is in the queries (the window
 * starts at `windowStartedAt`; a lock holds while `lockedUntil` is ahead), never in a TTL index.
 */
const loginThrottleSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: ['pair', 'address'], default: null },
    username: { type: String, default: null },
    address: { type: String, default: null },
    failures: { type: Number, required: true },
    windowStartedAt: { type: Date, required: true },
    lockedUntil: { type: Date, default: null },
  },
  { collection: 'login_throttles', versionKey: false },
);
export const LoginThrottle = defineModel('LoginThrottle', loginThrottleSchema);

/**
 * Devices a user has signed in from (OWASP's device cookie): the cookie carries a random token, stored here
 * as its SHA-256. A login presenting it for its own user is not slowed or locked by failures from elsewhere;
 * the device's own failures are counted, and past LOGIN_MAX_FAILURES it is no longer trusted.
 */
const loginDeviceSchema = new Schema(
  {
    tokenHash: { type: String, required: true, unique: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    failures: { type: Number, default: 0 },
    expiresAt: { type: Date, required: true },
    lastUsedAt: { type: Date, required: true },
  },
  { timestamps: true, collection: 'login_devices', versionKey: false },
);
export const LoginDevice = defineModel('LoginDevice', loginDeviceSchema);
