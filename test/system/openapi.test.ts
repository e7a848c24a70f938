/**
 * Every route the Express app serves is in the OpenAPI document, and every documented operation is served.
 * The routes are read from the real Express 5 router stack (router v2): a route layer has `route.path`
 * and `route.methods`; a mounted router is a layer whose `handle` has a `stack`; `rawPath` is the path
 * the layer was registered with.
 */
import { expect } from 'chai';
import express from 'express';
import { createApp } from '../../src/app.js';
import { createLogger } from '../../src/core/logger.js';
import { api } from '../support/api.js';
import { testEnv } from '../support/global-setup.js';

interface Layer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

interface Served {
  /** `GET /api/v1/orgs/:id` */
  routes: string[];
  /** Paths where plain middleware is mounted (not `/`): anything that could answer requests outside a route. */
  mounts: string[];
}

function joinPath(prefix: string, path: string): string {
  const joined = `${prefix}/${path}`.replace(/\/+/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

function pathOf(raw: unknown): string {
  // A RegExp or array path cannot be compared with OpenAPI; undefined means the router changed how it keeps paths.
  if (typeof raw !== 'string')
    throw new Error(`a layer with a non-string path (${String(raw)}): use string paths, or update this walker`);
  return raw;
}

/** Walks a router stack depth first, joining mount paths, and lists every (method, path) it would answer. */
function servedBy(stack: Layer[], prefix = '', found: Served = { routes: [], mounts: [] }): Served {
  for (const layer of stack) {
    if (layer.route) {
      const path = joinPath(prefix, pathOf(layer.route.path));
      const methods = Object.keys(layer.route.methods);
      if (methods.length === 0) throw new Error(`route ${path} has no method`);
      for (const method of methods) found.routes.push(`${method === '_all' ? 'ALL' : method.toUpperCase()} ${path}`);
    } else if (Array.isArray(layer.handle.stack)) {
      servedBy(layer.handle.stack, joinPath(prefix, pathOf(layer.rawPath)), found);
    } else {
      const mount = joinPath(prefix, pathOf(layer.rawPath));
      if (mount !== '/' && !found.mounts.includes(mount)) found.mounts.push(mount);
    }
  }
  return found;
}

function routerStackOf(app: express.Express): Layer[] {
  const stack = (app as unknown as { router?: { stack?: Layer[] } }).router?.stack;
  if (!Array.isArray(stack) || stack.length === 0)
    throw new Error('the Express 5 app has no router stack: the walker needs updating');
  return stack;
}

function documentedOperations(doc: { paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
  );
}

/**
 * Served outside the route table on purpose, each documented elsewhere: the load balancer probes
 * (SPEC §10, README) and the API description itself. Exact (method, path) pairs, nothing broader.
 */
const OUTSIDE_THE_DOCUMENT = [
  'GET /healthz',
  'GET /readyz',
  'GET /api/v1/openapi.json',
  // The public pages for people (docs/public.md); their JSON twins are in the document.
  'GET /xac-minh',
  'GET /xac-minh/:token',
  'GET /cong-khai/:code',
];
/**
 * Plain middleware mounted at a path: body parsing for the API (and cookies for its auth paths), the
 * interactive documentation page, and the web pages' hashed assets.
 */
const EXPECTED_MOUNTS = ['/api/v1', '/api/v1/auth', '/docs', '/assets'];

function undocumented(app: express.Express, documented: string[]): { routes: string[]; mounts: string[] } {
  const served = servedBy(routerStackOf(app));
  return {
    routes: served.routes.filter((route) => !documented.includes(route) && !OUTSIDE_THE_DOCUMENT.includes(route)),
    mounts: served.mounts.filter((mount) => !EXPECTED_MOUNTS.includes(mount)),
  };
}

/** A second app like the tested one, to tamper with. */
function freshApp(): express.Express {
  return createApp({ config: testEnv().config, logger: createLogger('silent') });
}

describe('OpenAPI document covers the router', () => {
  let documented: string[];

  before(async () => {
    const res = await api().get('/api/v1/openapi.json');
    expect(res.status).to.equal(200);
    documented = documentedOperations(res.body);
  });

  it('when the routes of the app are walked, then the API routes are found (the walker works)', () => {
    const served = servedBy(routerStackOf(testEnv().app)).routes;
    expect(served).to.include.members([
      'POST /api/v1/auth/login',
      'GET /api/v1/orgs/:id',
      'PATCH /api/v1/orgs/:id',
      'GET /healthz',
    ]);
    expect(served.filter((route) => route.includes('/api/v1/')).length).to.be.at.least(documented.length);
  });

  it('when every served route is compared with the document, then none is missing from it', () => {
    expect(undocumented(testEnv().app, documented)).to.deep.equal({ routes: [], mounts: [] });
  });

  it('when every documented operation is compared with the router, then each one is served', () => {
    const served = servedBy(routerStackOf(testEnv().app)).routes;
    expect(documented.filter((operation) => !served.includes(operation))).to.deep.equal([]);
  });

  describe('when a route is added with express outside the route table', () => {
    it('then an extra route on the API router is reported', () => {
      const app = freshApp();
      const apiRouter = routerStackOf(app).find(
        (layer) => layer.rawPath === '/api/v1' && Array.isArray(layer.handle.stack),
      );
      expect(apiRouter, 'the /api/v1 router').to.exist;
      (apiRouter!.handle as unknown as express.Router).delete('/orgs/:id', (_req, res) => {
        res.status(204).end();
      });
      expect(undocumented(app, documented).routes).to.deep.equal(['DELETE /api/v1/orgs/:id']);
    });

    it('then an extra route on the app itself or a new router or mount is reported', () => {
      const app = freshApp();
      app.get('/api/v1/rogue', (_req, res) => {
        res.json({});
      });
      const router = express.Router();
      router.post('/hidden/:id', (_req, res) => {
        res.json({});
      });
      app.use('/api/v1/extra', router);
      app.use('/uploads', express.static('uploads'));
      expect(undocumented(app, documented)).to.deep.equal({
        routes: ['GET /api/v1/rogue', 'POST /api/v1/extra/hidden/:id'],
        mounts: ['/uploads'],
      });
    });
  });
});
