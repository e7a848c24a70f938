import type { Request, Response } from 'express';
import type { Config } from '../core/config.js';
import type { TokenPair } from './auth.service.js';

/**
 * The web pages keep the refresh token out of JavaScript's reach: when a request carries
 * `X-Auth-Transport: cookie`, the token travels in an HttpOnly, SameSite=Strict cookie scoped to the auth
 * paths instead of the JSON body. The header is also what makes the cookie count: a cross-site form cannot
 * set it, and a cross-site script would need a CORS preflight, so the cookie alone never refreshes anything.
 * API clients that do not send the header keep the JSON tokens.
 */
export const TRANSPORT_HEADER = 'X-Auth-Transport';
export const REFRESH_COOKIE = 'mai_am_refresh';
const COOKIE_PATH = '/api/v1/auth';

export function wantsCookie(req: Request): boolean {
  return req.get(TRANSPORT_HEADER)?.toLowerCase() === 'cookie';
}

/** The refresh token of the request: the body's, or the cookie's when the web client asked for cookies. */
export function refreshTokenOf(req: Request): string | undefined {
  const fromBody = (req.body as { refreshToken?: string } | undefined)?.refreshToken;
  if (fromBody) return fromBody;
  if (!wantsCookie(req)) return undefined;
  const cookie = (req.cookies as Record<string, unknown> | undefined)?.[REFRESH_COOKIE];
  return typeof cookie === 'string' && cookie.length >= 20 && cookie.length <= 200 ? cookie : undefined;
}

/** Secure unless in development (plain http://localhost); the path keeps it off every other request. */
function cookieOptions(config: Config) {
  return { httpOnly: true, secure: config.env !== 'development', sameSite: 'strict' as const, path: COOKIE_PATH };
}

/** Answers the token pair, moving the refresh token into the cookie for the web client. */
export function sendTokens(config: Config, req: Request, res: Response, pair: TokenPair): void {
  if (!wantsCookie(req)) {
    res.json(pair);
    return;
  }
  const { refreshToken, ...rest } = pair;
  res.cookie(REFRESH_COOKIE, refreshToken, {
    ...cookieOptions(config),
    maxAge: config.jwt.refreshTtlDays * 86_400_000,
  });
  res.json(rest);
}

export function clearRefreshCookie(config: Config, res: Response): void {
  res.clearCookie(REFRESH_COOKIE, cookieOptions(config));
}
