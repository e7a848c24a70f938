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

/**
 * Access tokens this process verified, by their exact text, until they expire: a signed-in page sends the same
 * token with every request, and jsonwebtoken's verification (decoding, HMAC, claim checks) was about a twentieth
 * of a case read's CPU (docs/benchmarks.md, "The request path, 2026-12-05"). Only the expiry is checked again;
 * whether the session is still valid is the caller's check (`sessionVersion`, on every request). Cleared when full.
 */
const verified = new Map<string, { claims: AccessClaims; expiresAtMs: number; secret: string }>();
const MAX_VERIFIED = 10_000;

export function verifyAccessToken(config: Config, token: string): AccessClaims {
  const known = verified.get(token);
  if (known && known.secret === config.jwt.secret && known.expiresAtMs > Date.now()) return known.claims;
  try {
    const claims = jwt.verify(token, keyOf(config), {
      algorithms: ['HS256'],
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
    });
    if (
      typeof claims === 'string' ||
      typeof claims.sub !== 'string' ||
      typeof claims.sv !== 'number' ||
      typeof claims.exp !== 'number'
    ) {
      throw new Error('malformed claims');
    }
    const answer = { sub: claims.sub, sv: claims.sv };
    if (verified.size >= MAX_VERIFIED) verified.clear();
    verified.set(token, { claims: answer, expiresAtMs: claims.exp * 1000, secret: config.jwt.secret });
    return answer;
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
