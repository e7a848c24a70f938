import express, { type Request, type RequestHandler, type Response } from 'express';
import { match } from 'path-to-regexp';
import type Joi from 'joi';
import { MethodNotAllowedError } from '../errors.js';
import type { Role } from '../shared/roles.js';
import { rejectControlCharacters } from './control-characters.js';
import { rejectOperatorKeys } from './operator-keys.js';
import type { RateLimitName } from './rate-limit.js';
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
  answerUndeclaredMethods(router, routes);
  for (const route of routes) {
    const chain: RequestHandler[] = [];
    const limit = rateLimitOf(route);
    const limiter = limit ? hooks.rateLimits?.[limit] : undefined;
    if (limiter) chain.push(limiter);
    if (route.auth === 'optional')
      chain.push((req, res, next) => (req.get('authorization') ? hooks.authenticate(req, res, next) : next()));
    else if (route.auth !== 'public') chain.push(hooks.authenticate);
    if (route.roles?.length) chain.push(hooks.requireRoles(route.roles));
    chain.push(...(route.before ?? []));
    chain.push(rejectOperatorKeys, rejectControlCharacters, validate(route.schemas ?? {}));
    chain.push(async (req, res) => {
      await route.handler(req, res);
    });
    router[route.method](route.path, ...chain);
  }
  return router;
}

const METHOD_ORDER: readonly HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete'];

/**
 * A request whose path is in the table with a method that path does not have: 405 with `Allow` naming the
 * methods of the most specific patterns that match it, before any route runs, so `GET /batches/import` is not
 * taken by `GET /batches/:id` (as in the OpenAPI document, a path written out is its own resource). OPTIONS
 * answers 204 with the same `Allow`. Paths outside the table fall through to the 404. Patterns are matched with
 * path-to-regexp, the library Express itself routes with, so both read a path the same way; one middleware
 * (not a route per path) keeps the router's route list equal to the documented one.
 */
function answerUndeclaredMethods(router: express.Router, routes: readonly RouteDef[]): void {
  const methodsByPath = new Map<string, Set<HttpMethod>>();
  for (const route of routes) {
    const methods = methodsByPath.get(route.path) ?? new Set<HttpMethod>();
    methods.add(route.method);
    methodsByPath.set(route.path, methods);
  }
  // By their first segment (every path of the table starts with a word; matching ignores case as Express does), so
  // that a request is tried against its resource's few patterns, not the whole table.
  const firstSegment = (path: string) => (path.split('/')[1] ?? '').toLowerCase();
  const patterns = new Map<
    string,
    { matches: ReturnType<typeof match>; methods: Set<HttpMethod>; parameters: number }[]
  >();
  for (const [path, methods] of methodsByPath) {
    const key = firstSegment(path);
    patterns.set(key, [
      ...(patterns.get(key) ?? []),
      { matches: match(path, { decode: false }), methods, parameters: (path.match(/:\w+/g) ?? []).length },
    ]);
  }
  router.use((req, res, next) => {
    // As in the OpenAPI document, a path written out (`/batches/import`) is its own resource: a pattern with
    // more parameters that also matches (`/batches/:id`) does not lend it its methods.
    const matching = (patterns.get(firstSegment(req.path)) ?? []).filter((pattern) => pattern.matches(req.path));
    const fewest = Math.min(...matching.map((pattern) => pattern.parameters));
    const allowed = new Set<HttpMethod>();
    for (const pattern of matching)
      if (pattern.parameters === fewest) for (const method of pattern.methods) allowed.add(method);
    if (!allowed.size) return next();
    const asked = (req.method === 'HEAD' ? 'get' : req.method.toLowerCase()) as HttpMethod;
    if (allowed.has(asked)) return next();
    const names = METHOD_ORDER.filter((method) => allowed.has(method)).map((method) => method.toUpperCase());
    if (req.method === 'OPTIONS') {
      res
        .set('Allow', [...names, 'OPTIONS'].join(', '))
        .status(204)
        .end();
      return;
    }
    next(new MethodNotAllowedError(names));
  });
}
