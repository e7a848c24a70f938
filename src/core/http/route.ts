import express, { type Request, type RequestHandler, type Response } from 'express';
import type Joi from 'joi';
import type { Role } from '../roles.js';
import { rejectOperatorKeys } from './operator-keys.js';
import { validate, type RequestSchemas } from './validate.js';

export type HttpMethod = 'get' | 'post' | 'patch' | 'put' | 'delete';

export interface ResponseDoc {
  description: string;
  /** The JSON body; for an error status without one, the answer is problem+json. */
  schema?: Joi.Schema;
  /** Media types of the answer (default JSON); a type that is not JSON is a file (`format: binary`). */
  contentType?: string | readonly string[];
}

/**
 * One API route, described once: the router, the OpenAPI document and the tests all read this.
 * `auth: 'public'` needs no token; otherwise the caller must be signed in and, when `roles` is given,
 * hold one of them (403 otherwise).
 */
export interface RouteDef {
  method: HttpMethod;
  /** Express path below /api/v1, e.g. `/orgs/:id`. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  auth?: 'public' | 'user';
  roles?: readonly Role[];
  schemas?: RequestSchemas;
  /** Raw body handling (e.g. multer) placed before validation. */
  before?: RequestHandler[];
  /** `multipart`: the body is form fields validated by `schemas.body` plus one file part named `file`. */
  bodyType?: 'json' | 'multipart';
  /** Request headers the handler reads (e.g. `Idempotency-Key`), for the OpenAPI document; the handler checks them. */
  headers?: readonly { name: string; required: boolean; description: string }[];
  responses: Record<number, ResponseDoc>;
  handler: (req: Request, res: Response) => unknown;
}

export interface AuthHooks {
  authenticate: RequestHandler;
  requireRoles: (roles: readonly Role[]) => RequestHandler;
}

export function buildRouter(routes: readonly RouteDef[], hooks: AuthHooks): express.Router {
  const router = express.Router();
  for (const route of routes) {
    const chain: RequestHandler[] = [];
    if (route.auth !== 'public') chain.push(hooks.authenticate);
    if (route.roles?.length) chain.push(hooks.requireRoles(route.roles));
    chain.push(...(route.before ?? []));
    chain.push(rejectOperatorKeys, validate(route.schemas ?? {}));
    chain.push(async (req, res) => {
      await route.handler(req, res);
    });
    router[route.method](route.path, ...chain);
  }
  return router;
}
