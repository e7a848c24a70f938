import express, { type Request, type RequestHandler, type Response } from 'express';
import type Joi from 'joi';
import type { Role } from '../roles.js';
import { rejectOperatorKeys } from './operator-keys.js';
import type { RateLimitName } from './rate-limit.js';
import { validate, type RequestSchemas } from './validate.js';

export type HttpMethod = 'get' | 'post' | 'patch' | 'put' | 'delete';

export interface ResponseDoc {
  description: string;
  schema?: Joi.Schema;
  contentType?: string;
}

/**
 * One API route, described once: the router, the OpenAPI document and the tests all read this.
 * `auth: 'public'` needs no token; `optional` reads a token when one is sent (a bad one is 401) and lets the
 * caller through anonymously otherwise; by default the caller must be signed in and, when `roles` is given,
 * hold one of them (403 otherwise).
 */
export interface RouteDef {
  method: HttpMethod;
  /** Express path below /api/v1, e.g. `/orgs/:id`. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  auth?: 'public' | 'optional' | 'user';
  roles?: readonly Role[];
  schemas?: RequestSchemas;
  /** Raw body handling (e.g. multer) placed before validation. */
  before?: RequestHandler[];
  /** `multipart`: the body is form fields validated by `schemas.body` plus one file part named `file`. */
  bodyType?: 'json' | 'multipart';
  /** Request headers the handler reads (e.g. `Idempotency-Key`), for the OpenAPI document; the handler checks them. */
  headers?: readonly { name: string; required: boolean; description: string }[];
  responses: Record<number, ResponseDoc>;
  /** The per-address limit in front of the route; every `auth: 'public'` route gets `public` unless it names another. */
  rateLimit?: RateLimitName;
  handler: (req: Request, res: Response) => unknown;
}

export interface AuthHooks {
  authenticate: RequestHandler;
  requireRoles: (roles: readonly Role[]) => RequestHandler;
  /** The limiters by name (src/core/http/rate-limit.ts); without them no route is limited. */
  rateLimits?: Partial<Record<RateLimitName, RequestHandler>>;
}

/** Which limit a route sits behind: anything reachable without signing in is limited per address (SPEC §15). */
export function rateLimitOf(route: Pick<RouteDef, 'auth' | 'rateLimit'>): RateLimitName | undefined {
  return route.rateLimit ?? (route.auth === 'public' || route.auth === 'optional' ? 'public' : undefined);
}

export function buildRouter(routes: readonly RouteDef[], hooks: AuthHooks): express.Router {
  const router = express.Router();
  for (const route of routes) {
    const chain: RequestHandler[] = [];
    const limit = rateLimitOf(route);
    const limiter = limit ? hooks.rateLimits?.[limit] : undefined;
    if (limiter) chain.push(limiter);
    if (route.auth === 'optional') chain.push((req, res, next) => (req.get('authorization') ? hooks.authenticate(req, res, next) : next()));
    else if (route.auth !== 'public') chain.push(hooks.authenticate);
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
