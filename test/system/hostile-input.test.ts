import { Writable } from 'node:stream';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { pino } from 'pino';
import request from 'supertest';
import express from 'express';
import { requestLogging } from '../../src/core/http/request-logging.js';
import { errorHandler } from '../../src/core/http/error-handler.js';
import { api, expectProblem, loginAdmin, type Session } from '../support/api.js';
import { createOrg, createProvinceTree, memberBody, orgBody, type Org } from '../support/factory.js';
import { provinceFund } from '../support/funds.js';
import { expectValidation } from '../support/problems.js';

describe('hostile input: control characters', () => {
  let admin: Session;
  let province: Org;
  let grassroots: Org;

  before(async () => {
    admin = await loginAdmin();
    province = await createOrg(admin, admin.user.orgId, 'province', 'Liên đoàn Lao động tỉnh');
    const upper = await createOrg(admin, province.id, 'upper', 'Công đoàn Khu kinh tế');
    grassroots = await createOrg(admin, upper.id, 'grassroots', 'Công đoàn cơ sở Công ty');
  });

  for (const list of ['cases', 'members', 'orgs', 'users', 'campaigns', 'funds']) {
    it(`when GET /${list}?q= carries a NUL byte, then it answers 400 VALIDATION_FAILED on query.q, not 500`, async () => {
      const res = await admin.get(`/api/v1/${list}?q=a%00b`);
      expectValidation(res, 'query.q');
      expect(res.body.errors[0].message).to.match(/ký tự điều khiển/);
    });
  }

  for (const [label, text] of [
    ['DEL', 'a\u007fb'],
    ['ESC', 'a\u001b[31mb'],
    ['U+202E', 'a\u202eb'],
    ['a tab', 'a\tb'],
  ] as const) {
    it(`when a search text carries ${label}, then it answers 400`, async () => {
      expectProblem(await admin.get(`/api/v1/orgs?q=${encodeURIComponent(text)}`), 400, 'VALIDATION_FAILED');
    });
  }

  it('when a body field carries a NUL byte or a bidi override, then it answers 400 naming the field and stores nothing', async () => {
    const org = orgBody(province.id, 'upper', 'Công đoàn ngành');
    const res = await admin.post('/api/v1/orgs', {
      ...org,
      name: 'Công đoàn\u0000 ngành',
      address: 'Số 1 \u202egnaoh',
    });
    expectValidation(res, 'body.name', 'body.address');
    expect(await mongoose.connection.collection('orgs').countDocuments({ code: org.code })).to.equal(0);
  });

  it('when a nested body field carries a control character, then it answers 400 naming its path', async () => {
    const member = memberBody(grassroots.id);
    const res = await admin.post('/api/v1/members', {
      ...member,
      address: { province: 'Hà Tĩnh', commune: 'x\u0007y' },
    });
    expectValidation(res, 'body.address.commune');
    expect(await mongoose.connection.collection('members').countDocuments({ citizenId: member.citizenId })).to.equal(0);
  });

  it('when a one-line field carries a newline, then it answers 400; a multi-line field keeps its newlines', async () => {
    const org = orgBody(province.id, 'upper', 'Công đoàn ngành');
    expectProblem(await admin.post('/api/v1/orgs', { ...org, name: 'Công đoàn\nngành' }), 400, 'VALIDATION_FAILED');
    const tree = await createProvinceTree();
    const fundId = await provinceFund(tree);
    const reason = 'Dòng một\r\nDòng hai\tcột';
    const adjusted = await tree.sessions.accountant.post(`/api/v1/funds/${fundId}/adjustments`, {
      amount: 1000,
      reason,
    });
    expect(adjusted.status, JSON.stringify(adjusted.body)).to.equal(200);
    const entry = await mongoose.connection
      .collection('fund_entries')
      .findOne({ fundId: new mongoose.Types.ObjectId(fundId), note: reason });
    expect(entry, 'the adjustment is stored with its line breaks').to.not.equal(null);
  });

  it('when a list is asked with an ordinary Vietnamese search, then it still answers 200', async () => {
    const res = await admin.get(`/api/v1/orgs?q=${encodeURIComponent('Công đoàn ngành')}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
  });
});

describe('hostile input: error logs', () => {
  it('when a request fails with a server error, then the log lines carry neither the search text nor body values', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ level: 'info' }, sink);
    const secret = 'Nguyễn Bí Mật 0123456789';
    // A test app with the service's logging and error handler, whose route fails the way a driver does:
    // with a message that repeats the value it refused.
    const app = express();
    app.use(requestLogging(logger));
    app.use(express.json());
    app.post('/fails', (req) => {
      throw new Error(
        `Cast to string failed for value "${String(req.query.q)}" at path "${String(req.body.fullName)}"`,
      );
    });
    app.use(errorHandler);

    const res = await request(app)
      .post(`/fails?q=${encodeURIComponent(secret)}`)
      .send({ fullName: secret });

    expectProblem(res, 500, 'INTERNAL_ERROR');
    const text = lines.join('');
    expect(text).to.include('request failed');
    expect(text).to.include('Cast to string failed');
    expect(text).to.not.include('Bí Mật');
    expect(text).to.not.include(encodeURIComponent('Bí'));
  });
});

describe('hostile input: methods', () => {
  let admin: Session;
  before(async () => {
    admin = await loginAdmin();
  });

  for (const [method, path, allow] of [
    ['put', '/api/v1/cases', 'GET, POST'],
    ['delete', '/api/v1/orgs', 'GET, POST'],
    ['post', '/api/v1/auth/me', 'GET'],
  ] as const) {
    it(`when ${method.toUpperCase()} ${path} is sent, then it answers 405 with Allow: ${allow} as problem+json`, async () => {
      const sent = await api()[method](path).set('Authorization', `Bearer ${admin.token}`).send({});
      expectProblem(sent, 405, 'METHOD_NOT_ALLOWED');
      expect(sent.headers.allow).to.equal(allow);
    });
  }

  it('when a known path with an id is sent an undeclared method, then it answers 405 listing the declared ones', async () => {
    const res = await api().put('/api/v1/orgs/0123456789abcdef01234567').send({});
    expectProblem(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res.headers.allow).to.equal('GET, PATCH');
  });

  it('when a path written out in the table is asked for its methods, then a pattern with a parameter does not lend it its own', async () => {
    const options = await api().options('/api/v1/batches/import');
    expect(options.status).to.equal(204);
    expect(options.headers.allow).to.equal('POST, OPTIONS');
    const get = await api().get('/api/v1/batches/import').set('Authorization', `Bearer ${admin.token}`);
    expectProblem(get, 405, 'METHOD_NOT_ALLOWED');
    expect(get.headers.allow).to.equal('POST');
  });

  it('when an unknown path is sent any method, then it stays 404', async () => {
    expectProblem(await api().put('/api/v1/khong-co').send({}), 404, 'NOT_FOUND');
    expectProblem(await api().get('/api/v1/orgs/abc/def'), 404, 'NOT_FOUND');
  });
});
