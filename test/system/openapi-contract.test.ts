/**
 * The OpenAPI document tells the truth: answers are checked against it by the shared test client
 * (test/support/api.ts), and the request schemas are as strict as the server.
 */
import { expect } from 'chai';
import type request from 'supertest';
import { api, expectProblem, loginAdmin } from '../support/api.js';
import { openApiChecker } from '../support/openapi-check.js';

/** The document read as nested records; a missing key fails the test on access. */
interface Json {
  [key: string]: Json;
}

/** Follows keys through the document, failing with the path when one is missing. */
function dig(doc: Json, ...keys: string[]): Json {
  let node = doc;
  for (const key of keys) {
    const next = node[key];
    if (next === undefined) throw new Error(`the document has no ${keys.join(' → ')}`);
    node = next;
  }
  return node;
}

function parameter(doc: Json, path: string, name: string): Json {
  const list = dig(doc, 'paths', path, 'get', 'parameters') as unknown as Json[];
  return list.find((p) => (p.name as unknown) === name)!.schema!;
}

async function documentOf(): Promise<Json> {
  const res = await api().get('/api/v1/openapi.json');
  expect(res.status).to.equal(200);
  return res.body as Json;
}

function fakeAnswer(status: number, body: unknown, contentType = 'application/json; charset=utf-8'): request.Response {
  return { status, body, headers: { 'content-type': contentType } } as unknown as request.Response;
}

describe('OpenAPI contract', () => {
  it('the checker refuses an undeclared status, an undeclared field and an undeclared content type', async () => {
    const checker = openApiChecker(await documentOf());
    const id = '0123456789abcdef01234567';
    expect(checker.check('get', `/api/v1/orgs/${id}`, fakeAnswer(418, {}))).to.match(/does not declare/);
    expect(checker.check('get', `/api/v1/orgs/${id}`, fakeAnswer(200, { id, surprise: 1 }))).to.match(/surprise/);
    expect(checker.check('get', `/api/v1/orgs/${id}`, fakeAnswer(200, 'a,b', 'text/csv'))).to.match(/content type/);
    expect(
      checker.check(
        'get',
        `/api/v1/orgs/${id}`,
        fakeAnswer(
          404,
          { type: 'x', title: 't', status: 404, detail: 'd', code: 'NOT_FOUND' },
          'application/problem+json',
        ),
      ),
    ).to.equal(undefined);
    expect(
      checker.check(
        'get',
        '/api/v1/orgs',
        fakeAnswer(
          401,
          { type: 'x', title: 't', status: 401, detail: 'd', code: 'UNAUTHENTICATED' },
          'application/problem+json',
        ),
      ),
    ).to.equal(undefined);
  });

  it('declares the errors each operation can give, derived from how it is routed', async () => {
    const doc = await documentOf();
    const statuses = (path: string, method: string) => Object.keys(dig(doc, 'paths', path, method, 'responses'));
    expect(statuses('/api/v1/orgs/{id}', 'get'))
      .to.include.members(['200', '400', '401', '404'])
      .and.not.include('default');
    expect(statuses('/api/v1/cases', 'post')).to.include.members([
      '201',
      '400',
      '401',
      '403',
      '404',
      '409',
      '413',
      '415',
      '422',
    ]);
    expect(statuses('/api/v1/auth/login', 'post'))
      .to.include.members(['200', '400', '401', '429'])
      .and.not.include('403');
    const problem = dig(
      doc,
      'paths',
      '/api/v1/orgs/{id}',
      'get',
      'responses',
      '404',
      'content',
      'application/problem+json',
      'schema',
    );
    expect(problem).to.deep.equal({ $ref: '#/components/schemas/Problem' });
  });

  it('declares the answers as they are: report keys, open details, file types', async () => {
    const doc = await documentOf();
    const schemas = dig(
      doc,
      'paths',
      '/api/v1/cases/{id}',
      'get',
      'responses',
      '200',
      'content',
      'application/json',
      'schema',
      'properties',
    );
    expect(schemas).to.include.keys('submittedDay', 'approvedDay');
    expect(dig(schemas, 'memberSnapshot', 'properties')).to.include.keys('fullName', 'citizenId');
    const payment = dig(
      doc,
      'paths',
      '/api/v1/disbursements/{id}',
      'get',
      'responses',
      '200',
      'content',
      'application/json',
      'schema',
      'properties',
    );
    expect(payment).to.include.keys('paidMonth', 'subtype', 'campaignId');
    const decision = dig(
      doc,
      'paths',
      '/api/v1/decisions/{id}',
      'get',
      'responses',
      '200',
      'content',
      'application/json',
      'schema',
      'properties',
    );
    expect(dig(decision, 'content', 'properties')).to.include.keys('subject', 'articles');
  });

  it('states ids as 24 hex characters and dates as calendar days; the server refuses 2026-02-31', async () => {
    const doc = await documentOf();
    const id = parameter(doc, '/api/v1/orgs/{id}', 'id');
    expect(id.pattern).to.equal('^[0-9a-fA-F]{24}$');
    const from = parameter(doc, '/api/v1/cases', 'from');
    expect(from.format).to.equal('date');
    const admin = await loginAdmin();
    expectProblem(await admin.get('/api/v1/cases?from=2026-02-31'), 400, 'VALIDATION_FAILED');
    expectProblem(await admin.get('/api/v1/orgs/0123456789abcdef0123456z'), 400, 'VALIDATION_FAILED');
  });
});
