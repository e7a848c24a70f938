import type { Request } from 'express';
import { UnauthenticatedError } from '../errors.js';
import type { Actor, Principal } from '../scope.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by the authenticate middleware. */
      auth?: Principal;
    }
  }
}

export function principalOf(req: Request): Principal {
  if (!req.auth) throw new UnauthenticatedError();
  return req.auth;
}

/** What the audit log and the history record about a request. */
export function actorOf(req: Request): Actor {
  const principal = principalOf(req);
  return { userId: principal.userId, name: principal.fullName, requestId: String(req.id ?? '') };
}
