import { expect } from 'chai';
import mongoose from 'mongoose';
import { api, arrange, expectProblem, loginAdmin, type Session } from '../support/api.js';
import { createOrg, memberBody, orgBody, type Org } from '../support/factory.js';

async function storedCount(collection: string, filter: Record<string, unknown>): Promise<number> {
  return mongoose.connection.collection(collection).countDocuments(filter);
}

function errorPaths(body: { errors?: { path: string }[] }): string[] {
  return (body.errors ?? []).map((e) => e.path);
}

describe('errors and plumbing of the HTTP API', () => {
  let admin: Session;
  let province: Org;
  let grassroots: Org;

  before(async () => {
    admin = await loginAdmin();
    province = await createOrg(admin, admin.user.orgId, 'province', 'Liên đoàn Lao động tỉnh');
    const upper = await createOrg(admin, province.id, 'upper', 'Công đoàn Khu kinh tế');
    grassroots = await createOrg(admin, upper.id, 'grassroots', 'Công đoàn cơ sở Công ty');
  });

  describe('bodies', () => {
    it('when the JSON is malformed, then it answers 400 VALIDATION_FAILED as problem+json', async () => {
      const res = await api()
        .post('/api/v1/auth/login')
        .set('Content-Type', 'application/json')
        .send('{"username": "admin", ');
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body).to.include({ status: 400 });
      expect(res.body.type).to.be.a('string').and.not.empty;
      expect(res.body.title).to.be.a('string').and.not.empty;
    });

    it('when the body is over 1 MB, then it answers 413 PAYLOAD_TOO_LARGE without reading the credentials', async () => {
      const body = JSON.stringify({ username: 'admin', password: 'x'.repeat(1024 * 1024 + 10) });
      const res = await api().post('/api/v1/auth/login').set('Content-Type', 'application/json').send(body);
      expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('when the body is text/plain, then it answers 415 UNSUPPORTED_MEDIA_TYPE and stores nothing', async () => {
      const org = orgBody(province.id, 'upper', 'Công đoàn ngành');
      const res = await admin.post('/api/v1/orgs').set('Content-Type', 'text/plain').send(JSON.stringify(org));
      expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(await storedCount('orgs', { code: org.code })).to.equal(0);
    });

    it('when a unique value is sent twice, then the second answers 409 without any driver message', async () => {
      const org = orgBody(province.id, 'upper', 'Công đoàn ngành');
      await arrange(admin.post('/api/v1/orgs', org));
      const res = await admin.post('/api/v1/orgs', org);
      expect(res.status, JSON.stringify(res.body)).to.equal(409);
      expect(res.body.code).to.match(/^[A-Z][A-Z_]+$/);
      expectProblem(res, 409, res.body.code);
      expect(await storedCount('orgs', { code: org.code })).to.equal(1);
    });
  });

  describe('unknown routes', () => {
    for (const [method, path] of [
      ['get', '/api/v1/khong-co'],
      ['post', '/api/v1/orgs/abc/def'],
      ['get', '/khong-co'],
    ] as const) {
      it(`when ${method.toUpperCase()} ${path} is requested, then it answers 404 NOT_FOUND as problem+json`, async () => {
        const res = await api()[method](path);
        expectProblem(res, 404, 'NOT_FOUND');
      });
    }

    it('when an id in the path is not an id, then it answers 400 without a driver message', async () => {
      expectProblem(await admin.get('/api/v1/orgs/khong-phai-id'), 400, 'VALIDATION_FAILED');
    });
  });

  describe('operator keys', () => {
    it('when a body has a top-level $ key, then it answers 400 naming it and stores nothing', async () => {
      const org = orgBody(province.id, 'upper', 'Công đoàn ngành');
      const res = await admin.post('/api/v1/orgs', { ...org, $where: 'sleep(1000)' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(errorPaths(res.body)).to.include('body.$where');
      expect(await storedCount('orgs', { code: org.code })).to.equal(0);
    });

    it('when a body has a nested $ key, then it answers 400 naming its path and stores nothing', async () => {
      const member = memberBody(grassroots.id);
      const res = await admin.post('/api/v1/members', {
        ...member,
        address: { province: 'Hà Tĩnh', $set: { commune: 'x' } },
      });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(errorPaths(res.body)).to.include('body.address.$set');
      expect(await storedCount('members', { citizenId: member.citizenId })).to.equal(0);
    });

    it('when a $ key hides in an array of the body, then it answers 400', async () => {
      const org = orgBody(province.id, 'upper', 'Công đoàn ngành');
      const res = await admin.post('/api/v1/orgs', { ...org, address: [{ $gt: '' }] });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(errorPaths(res.body)).to.include('body.address[0].$gt');
      expect(await storedCount('orgs', { code: org.code })).to.equal(0);
    });

    it('when login credentials are query operators, then it answers 400 and signs nobody in', async () => {
      const res = await api()
        .post('/api/v1/auth/login')
        .send({ username: { $ne: null }, password: { $ne: null } });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body).to.not.have.property('accessToken');
    });

    it('when a body key contains a dot, then it answers 400', async () => {
      const member = memberBody(grassroots.id);
      const res = await admin.post('/api/v1/members', { ...member, 'address.province': 'Hà Tĩnh' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(errorPaths(res.body)).to.include('body.address.province');
      expect(await storedCount('members', { citizenId: member.citizenId })).to.equal(0);
    });

    for (const query of ['$where=1', 'q[$ne]=x', 'q%5B%24ne%5D=x', 'sort[$gt]=']) {
      it(`when the query string is ?${query}, then a list answers 400`, async () => {
        const res = await admin.get(`/api/v1/orgs?${query}`);
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(
          errorPaths(res.body).some((path) => path.startsWith('query') && path.includes('$')),
          JSON.stringify(res.body),
        ).to.equal(true);
        expect(res.body).to.not.have.property('items');
      });
    }

    it('when a write carries an operator in its query string, then it answers 400 and changes nothing', async () => {
      const org = await createOrg(admin, province.id, 'upper', 'Công đoàn ngành');
      const res = await admin.patch(`/api/v1/orgs/${org.id}?$where=1`, { name: 'Tên mới' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      const stored = await mongoose.connection.collection('orgs').findOne({ code: org.code });
      expect(stored?.name).to.equal(org.name);
    });
  });

  describe('request ids', () => {
    it('when the caller sends a safe X-Request-Id, then it is echoed in the header and in requestId', async () => {
      const id = 'lb-request-0123456789';
      const res = await api().get('/api/v1/khong-co').set('X-Request-Id', id);
      expectProblem(res, 404, 'NOT_FOUND');
      expect(res.headers['x-request-id']).to.equal(id);
      expect(res.body.requestId).to.equal(id);
    });

    it('when the caller sends none or an unsafe one, then a fresh id is made, sent back and echoed', async () => {
      const plain = await api().post('/api/v1/auth/login').send({});
      expectProblem(plain, 400, 'VALIDATION_FAILED');
      expect(plain.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
      expect(plain.body.requestId).to.equal(plain.headers['x-request-id']);

      const unsafe = await api().get('/api/v1/khong-co').set('X-Request-Id', '<script>alert(1)</script>');
      expect(unsafe.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
      expect(unsafe.body.requestId).to.equal(unsafe.headers['x-request-id']);
    });

    it('when a request succeeds, then it carries an X-Request-Id too', async () => {
      const res = await api().get('/healthz');
      expect(res.headers['x-request-id']).to.be.a('string').and.not.empty;
    });
  });

  describe('probes and documentation', () => {
    it('when /healthz and /readyz are asked, then both answer 200', async () => {
      const health = await api().get('/healthz');
      expect(health.status).to.equal(200);
      expect(health.body).to.deep.equal({ status: 'ok' });
      const ready = await api().get('/readyz');
      expect(ready.status).to.equal(200);
      expect(ready.body).to.deep.equal({ status: 'ready' });
    });

    it('when the OpenAPI document is fetched, then it is an OpenAPI 3 document of the /api/v1 routes', async () => {
      const res = await api().get('/api/v1/openapi.json');
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/^application\/json/);
      const doc = res.body as {
        openapi: string;
        info: { title: string; version: string };
        paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
        components: { securitySchemes: Record<string, { type: string; scheme?: string }> };
      };
      expect(doc.openapi).to.match(/^3\.\d+\.\d+$/);
      expect(doc.info.title).to.be.a('string').and.not.empty;
      expect(doc.info.version).to.be.a('string').and.not.empty;
      expect(doc.components.securitySchemes.bearerAuth).to.deep.include({ type: 'http', scheme: 'bearer' });
      expect(doc.paths['/api/v1/auth/login']).to.have.property('post');
      expect(doc.paths['/api/v1/orgs/{id}']).to.have.property('get');
      for (const [path, operations] of Object.entries(doc.paths)) {
        expect(path)
          .to.match(/^\/api\/v1\//)
          .and.not.match(/:/);
        for (const [method, operation] of Object.entries(operations)) {
          expect(['get', 'post', 'put', 'patch', 'delete'], `${method} ${path}`).to.include(method);
          expect(Object.keys(operation.responses ?? {}), `${method} ${path}`).to.not.be.empty;
        }
      }
    });

    it('when /docs/ is opened, then it serves the interactive HTML page', async () => {
      const res = await api().get('/docs/');
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/^text\/html/);
      expect(res.text).to.match(/swagger-ui/i);
    });
  });
});
