import request from 'supertest';
import { expect } from 'chai';
import type { Express } from 'express';
import { ADMIN_PASSWORD, testEnv } from './global-setup.js';
import { openApiChecker, type OpenApiChecker } from './openapi-check.js';

export type Agent = ReturnType<typeof request>;

const checkers = new WeakMap<Express, Promise<OpenApiChecker>>();

/** The document the app itself serves, read once per app. */
function checkerOf(app: Express): Promise<OpenApiChecker> {
  let checker = checkers.get(app);
  if (!checker) {
    checker = request(app)
      .get('/api/v1/openapi.json')
      .then((res) => {
        if (res.status !== 200) throw new Error(`GET /api/v1/openapi.json answered ${res.status}`);
        return openApiChecker(res.body as Record<string, unknown>);
      });
    checkers.set(app, checker);
  }
  return checker;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

/**
 * Every answer to a request made here is checked against the OpenAPI document (status, content type,
 * body schema) before the test sees it: a mismatch fails the test that made the request.
 */
function validating(app: Express): Agent {
  const agent = request(app);
  for (const method of METHODS) {
    const make = agent[method].bind(agent) as (url: string) => request.Test;
    (agent as unknown as Record<string, (url: string) => request.Test>)[method] = (url: string) => {
      const test = make(url);
      const then = test.then.bind(test);
      test.then = ((onFulfilled, onRejected) =>
        then(async (res) => {
          const problem = (await checkerOf(app)).check(method, url, res);
          if (problem) throw new Error(`OpenAPI: ${problem}`);
          return res;
        }).then(onFulfilled, onRejected)) as request.Test['then'];
      return test;
    };
  }
  return agent;
}

export function api(): Agent {
  return validating(testEnv().app);
}

export interface Session {
  token: string;
  refreshToken: string;
  user: { id: string; username: string; orgId: string; roles: string[] };
  get(path: string): request.Test;
  post(path: string, body?: object): request.Test;
  patch(path: string, body?: object): request.Test;
  delete(path: string): request.Test;
  /** A POST without a JSON body, for multipart uploads (`.field()`, `.attach()`). */
  upload(path: string): request.Test;
}

function sessionFrom(token: string, refreshToken: string, user: Session['user']): Session {
  const auth = (test: request.Test) => test.set('Authorization', `Bearer ${token}`);
  return {
    token,
    refreshToken,
    user,
    get: (path) => auth(api().get(path)),
    post: (path, body) => auth(api().post(path)).send(body ?? {}),
    patch: (path, body) => auth(api().patch(path)).send(body ?? {}),
    delete: (path) => auth(api().delete(path)),
    upload: (path) => auth(api().post(path)),
  };
}

export async function login(username: string, password: string): Promise<Session> {
  const res = await api().post('/api/v1/auth/login').send({ username, password });
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return sessionFrom(res.body.accessToken, res.body.refreshToken, res.body.user);
}

export async function loginAdmin(): Promise<Session> {
  return login('admin', ADMIN_PASSWORD);
}

/** Arranging calls: fail loudly when the API refuses, so a broken arrangement never passes for a result. */
export async function arrange<T = Record<string, unknown>>(test: request.Test, status = 201): Promise<T> {
  const res = await test;
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  return res.body as T;
}

export function expectProblem(res: request.Response, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
  expect(res.body.code).to.equal(code);
  expect(res.body.detail).to.be.a('string').and.not.empty;
  expect(JSON.stringify(res.body)).to.not.match(/at .+\.(ts|js):\d+|MongoServerError|E11000|node_modules/);
}
