import { expect } from 'chai';
import { once } from 'node:events';
import { get, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { testEnv } from '../support/global-setup.js';

interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  req?: { id: string; method: string; path: string };
  res?: { statusCode: number };
  responseTime?: number;
  code?: string;
}

/** The app with a logger whose lines are kept, parsed. */
function loggedApp() {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n')) if (text) lines.push(JSON.parse(text) as LogLine);
      done();
    },
  });
  const app = createApp({ config: testEnv().config, logger: pino({ level: 'info' }, sink) });
  return { app, lines };
}

/** Waits until the response's 'close' listener has written its line. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A GET with exactly the headers given (supertest and fetch add `Accept-Encoding` of their own). */
async function rawGet(
  server: Server,
  path: string,
  headers: Record<string, string>,
): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

describe('one log line per request, and compression only for a client that asks', () => {
  it('when a request is answered, then one line names its id, method, path without the query, status and time', async () => {
    const { app, lines } = loggedApp();
    const res = await request(app)
      .get('/api/v1/cases?q=001234567890&status=draft')
      .set('X-Request-Id', 'req-log-test-0001');
    await settle();
    expect(res.status).to.equal(401);
    const done = lines.filter((l) => l.msg === 'request completed');
    expect(done).to.have.length(1);
    expect(done[0]).to.deep.include({
      reqId: 'req-log-test-0001',
      req: { id: 'req-log-test-0001', method: 'GET', path: '/api/v1/cases' },
      res: { statusCode: 401 },
    });
    expect(done[0]!.responseTime).to.be.a('number').and.at.least(0);
    // The refusal is logged by the error handler with the same id, and the CCCD searched for is in no line.
    expect(lines.find((l) => l.msg === 'request refused')).to.deep.include({
      reqId: 'req-log-test-0001',
      code: 'UNAUTHENTICATED',
    });
    expect(JSON.stringify(lines)).not.to.include('001234567890');
  });

  it('when the health probe asks, then no line is written; an unknown path is logged with its 404', async () => {
    const { app, lines } = loggedApp();
    expect((await request(app).get('/healthz')).status).to.equal(200);
    expect((await request(app).get('/api/v1/no-such-thing')).status).to.equal(404);
    await settle();
    expect(
      lines.filter((l) => l.msg === 'request completed').map((l) => [l.req?.path, l.res?.statusCode]),
    ).to.deep.equal([['/api/v1/no-such-thing', 404]]);
  });

  describe('with the service listening', () => {
    let server: Server;
    before(async () => {
      server = loggedApp().app.listen(0, '127.0.0.1');
      await once(server, 'listening');
    });
    after(() => new Promise((resolve) => server.close(resolve)));

    it('when a client accepts gzip, then a large answer comes gzipped and says it varies by Accept-Encoding', async () => {
      const res = await rawGet(server, '/api/v1/openapi.json', { 'accept-encoding': 'gzip' });
      expect(res.headers['content-encoding']).to.equal('gzip');
      expect(res.headers.vary).to.match(/Accept-Encoding/i);
      const document = JSON.parse(gunzipSync(res.body).toString('utf8')) as { openapi: string };
      expect(document.openapi).to.match(/^3\./);
    });

    it('when a client sends no Accept-Encoding, then the same answer comes as it is, still saying it varies', async () => {
      const res = await rawGet(server, '/api/v1/openapi.json', {});
      expect(res.headers['content-encoding']).to.equal(undefined);
      expect(res.headers.vary).to.match(/Accept-Encoding/i);
      expect((JSON.parse(res.body.toString('utf8')) as { openapi: string }).openapi).to.match(/^3\./);
    });
  });
});
