import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Config } from '../core/config.js';
import { UnauthenticatedError } from '../core/errors.js';
import type { Role } from '../core/shared/roles.js';
import { assertRole } from '../core/scope.js';
import { principalOf, usersRepository } from '../users/index.js';
import { verifyAccessToken } from './tokens.js';

/**
 * Reads the bearer token and checks the user on every request: a disabled user, or one whose sessions were
 * ended (sessionVersion raised), is refused even with an unexpired token: at once on the instance that made the
 * change, within a second on the others (the user is read at most a second ago, `usersRepository.findSignedIn`).
 */
export function authenticate(config: Config): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    // The scheme name is case-insensitive (RFC 9110 §11.1); some clients send "bearer".
    const match = /^Bearer +([A-Za-z0-9._~+/=-]+)$/i.exec(header);
    if (!match) throw new UnauthenticatedError();
    const claims = verifyAccessToken(config, match[1]!);
    const user = /^[a-f0-9]{24}$/.test(claims.sub) ? await usersRepository.findSignedIn(claims.sub) : null;
    if (!user || !user.active || user.sessionVersion !== claims.sv) {
      throw new UnauthenticatedError('Phiên đăng nhập không còn hiệu lực, vui lòng đăng nhập lại.');
    }
    req.auth = principalOf(user);
    next();
  };
}

export function requireRoles(roles: readonly Role[]): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!req.auth) throw new UnauthenticatedError();
    assertRole(req.auth, roles);
    next();
  };
}
