/** Per-address limits in front of everything reachable without signing in (src/core/http/rate-limit.ts, SPEC §15). */
import { randomInt } from 'node:crypto';
import { expect } from 'chai';
import mongoose, { Types } from 'mongoose';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/core/config.js';
import { RATE_LIMIT_COLLECTION } from '../../src/core/http/rate-limit.js';
import { createLogger } from '../../src/core/logger.js';
import { expectProblem } from '../support/api.js';
import { testEnv } from '../support/global-setup.js';
import { expectVietnamese } from '../support/problems.js';

/** An app of its own with small limits; behind a trusted proxy, so each test can speak from an address of its own. */
function limitedApp(overrides: Record<string, string> = {}) {
  const config = loadConfig({
    ...testEnv().env,
    TRUST_PROXY: 'loopback',
    RATE_LIMIT_PUBLIC_POINTS: '3',
    RATE_LIMIT_PUBLIC_WINDOW_SECONDS: '30',
    RATE_LIMIT_AUTH_POINTS: '2',
    ...overrides,
  });
  return createApp({ config, logger: createLogger('silent') });
}

/** A documentation address unique to the test (the port-like suffix is dropped; the counter key is the address). */
const uniqueIp = () => `2001:db8::${randomInt(1, 0xffff).toString(16)}:${randomInt(1, 0xffff).toString(16)}`;

const verifyPath = () => `/api/v1/decisions/${new Types.ObjectId().toHexString()}/verify`;

async function counter(ip: string, prefix = 'public') {
  return mongoose.connection.db!.collection(RATE_LIMIT_COLLECTION).findOne({ key: `${prefix}:${ip}` });
}

describe('Rate limits per address (public endpoints and sign-in)', function () {
  this.timeout(30_000);

  describe('when one address calls a public endpoint more often than the limit', () => {
    it('then the call over the limit is refused with 429 RATE_LIMITED, a Vietnamese detail and Retry-After, and the counter is in the database', async () => {
      const app = limitedApp();
      const ip = uniqueIp();
      for (let i = 0; i < 3; i += 1) {
        const res = await request(app).get(verifyPath()).set('X-Forwarded-For', ip);
        expect(res.status, `call ${i + 1}`).to.equal(404);
      }
      const refused = await request(app).get(verifyPath()).set('X-Forwarded-For', ip);
      expectProblem(refused, 429, 'RATE_LIMITED');
      expectVietnamese(refused.body.detail);
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).to.be.within(1, 30);
      const stored = await counter(ip);
      expect(stored?.points).to.equal(4);
      expect(stored?.expire).to.be.instanceOf(Date);

      const other = await request(app).get(verifyPath()).set('X-Forwarded-For', uniqueIp());
      expect(other.status, 'another address is not limited').to.equal(404);
    });

    it('then after Retry-After the address may call again: the window ends although the engine never expires documents', async () => {
      const app = limitedApp({ RATE_LIMIT_PUBLIC_POINTS: '1', RATE_LIMIT_PUBLIC_WINDOW_SECONDS: '1' });
      const ip = uniqueIp();
      expect((await request(app).get(verifyPath()).set('X-Forwarded-For', ip)).status).to.equal(404);
      const refused = await request(app).get(verifyPath()).set('X-Forwarded-For', ip);
      expectProblem(refused, 429, 'RATE_LIMITED');
      await new Promise((resolve) => setTimeout(resolve, Number(refused.headers['retry-after']) * 1000 + 100));
      expect((await request(app).get(verifyPath()).set('X-Forwarded-For', ip)).status).to.equal(404);
      const stored = await counter(ip);
      expect(stored?.points, 'the expired counter was replaced, not added to').to.equal(1);
    });
  });

  describe('when one address opens the public pages and endpoints', () => {
    it('then every one of them counts against the same public limit: /xac-minh, /xac-minh/<token>, /cong-khai/<code>, the summary and the lookup by number', async () => {
      const app = limitedApp({ RATE_LIMIT_PUBLIC_POINTS: '5' });
      const ip = uniqueIp();
      const paths = [
        '/xac-minh',
        `/xac-minh/${'C'.repeat(22)}`,
        '/cong-khai/KHONGCO',
        '/api/v1/public/orgs/KHONGCO/summary',
        '/api/v1/public/decisions/1?issuer=KHONGCO',
      ];
      for (const path of paths) {
        const res = await request(app).get(path).set('X-Forwarded-For', ip).set('Accept', 'text/html');
        expect(res.status, path).to.not.equal(429);
      }
      expect((await counter(ip))?.points).to.equal(5);
      for (const path of paths) {
        const refused = await request(app).get(path).set('X-Forwarded-For', ip).set('Accept', 'text/html');
        expectProblem(refused, 429, 'RATE_LIMITED');
        expect(refused.headers['retry-after'], path).to.match(/^\d+$/);
      }
    });
  });

  describe('when two instances serve one database', () => {
    it('then they share the count of an address', async () => {
      const [first, second] = [limitedApp(), limitedApp()];
      const ip = uniqueIp();
      expect((await request(first).get(verifyPath()).set('X-Forwarded-For', ip)).status).to.equal(404);
      expect((await request(second).get(verifyPath()).set('X-Forwarded-For', ip)).status).to.equal(404);
      expect((await request(first).get(verifyPath()).set('X-Forwarded-For', ip)).status).to.equal(404);
      expectProblem(await request(second).get(verifyPath()).set('X-Forwarded-For', ip), 429, 'RATE_LIMITED');
    });
  });

  describe('when one address sends many sign-in requests', () => {
    it('then sign-in has its own limit, counted apart from the public pages', async () => {
      const app = limitedApp();
      const ip = uniqueIp();
      for (let i = 0; i < 2; i += 1) {
        const res = await request(app)
          .post('/api/v1/auth/login')
          .set('X-Forwarded-For', ip)
          .send({ username: 'nobody-here', password: 'wrong-password-1' });
        expect(res.status).to.equal(401);
      }
      const refused = await request(app)
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', ip)
        .send({ username: 'nobody-here', password: 'wrong-password-1' });
      expectProblem(refused, 429, 'RATE_LIMITED');
      expect(refused.headers['retry-after']).to.match(/^\d+$/);
      expect((await counter(ip, 'auth'))?.points).to.equal(3);
      expect(await counter(ip, 'public'), 'the public count is untouched').to.equal(null);
      expect((await request(app).get(verifyPath()).set('X-Forwarded-For', ip)).status).to.equal(404);
    });
  });

  describe('when a signed-in route is called', () => {
    it('then it is not limited per address, and the OpenAPI document declares 429 on the public routes only', async () => {
      const app = limitedApp();
      const ip = uniqueIp();
      for (let i = 0; i < 5; i += 1)
        expect((await request(app).get('/api/v1/cases').set('X-Forwarded-For', ip)).status).to.equal(401);
      const doc = (await request(app).get('/api/v1/openapi.json')).body;
      expect(doc.paths['/api/v1/decisions/{id}/verify'].get.responses).to.have.property('429');
      expect(doc.paths['/api/v1/auth/login'].post.responses).to.have.property('429');
      expect(doc.paths['/api/v1/cases'].get.responses).to.not.have.property('429');
    });
  });
});
