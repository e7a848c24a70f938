import { createHash, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Config } from '../core/config.js';
import { UnauthenticatedError } from '../core/errors.js';

export interface AccessClaims {
  sub: string;
  sv: number;
}

const keys = new Map<string, KeyObject>();

/**
 * The HMAC key as a KeyObject, made once per secret: given the string, jsonwebtoken first tries to read it as a
 * public key on every call and makes the secret key from it after that fails (~0.5 ms a request).
 */
function keyOf(config: Config): KeyObject {
  let key = keys.get(config.jwt.secret);
  if (!key) {
    key = createSecretKey(Buffer.from(config.jwt.secret));
    keys.set(config.jwt.secret, key);
  }
  return key;
}

/** HS256 only: the algorithm is pinned on both sides so `alg: none` or RS/HS confusion cannot pass. */
export function signAccessToken(config: Config, userId: string, sessionVersion: number): string {
  return jwt.sign({ sv: sessionVersion }, keyOf(config), {
    algorithm: 'HS256',
    subject: userId,
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
    expiresIn: config.jwt.accessTtlSeconds,
  });
}

export function verifyAccessToken(config: Config, token: string): AccessClaims {
  try {
    const claims = jwt.verify(token, keyOf(config), {
      algorithms: ['HS256'],
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
    });
    if (typeof claims === 'string' || typeof claims.sub !== 'string' || typeof claims.sv !== 'number') {
      throw new Error('malformed claims');
    }
    return { sub: claims.sub, sv: claims.sv };
  } catch (error) {
    const expired = error instanceof jwt.TokenExpiredError;
    throw new UnauthenticatedError(
      expired ? 'Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại.' : 'Mã truy cập không hợp lệ.',
    );
  }
}

export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
