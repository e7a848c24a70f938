import request from 'supertest';
import { expect } from 'chai';
import { ADMIN_PASSWORD, testEnv } from './global-setup.js';

export type Agent = ReturnType<typeof request>;

export function api(): Agent {
  return request(testEnv().app);
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
