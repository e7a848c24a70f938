/// <reference lib="dom" />
import { expect } from 'chai';
import { api } from '../support/api.js';
import { expectNoProblems, openPage, screenshots, webEnv } from './support/browser.js';

describe('web: what a newcomer meets first (the front page and the API page)', function () {
  this.timeout(90_000);

  before(async () => {
    await webEnv();
  });

  it('when / is probed without asking for HTML (curl), then the page answers, not a 404', async () => {
    for (const accept of [undefined, '*/*', 'application/json']) {
      const probe = api().get('/');
      const res = await (accept ? probe.set('Accept', accept) : probe);
      expect(res.status, `Accept: ${accept}`).to.equal(200);
      expect(res.headers['content-type']).to.match(/^text\/html/);
      expect(res.text).to.contain('<div id="root">');
    }
    const other = await api().get('/cases').set('Accept', 'application/json');
    expect(other.status, 'only the front page is served whatever the Accept').to.equal(404);
  });

  it('when the OpenAPI document is read, then every operation has a feature tag listed with a Vietnamese description, and the document describes itself in Vietnamese', async () => {
    const doc = (await api().get('/api/v1/openapi.json')).body as {
      info: { description: string };
      tags: { name: string; description?: string }[];
      paths: Record<string, Record<string, { tags: string[] }>>;
    };
    const listed = doc.tags.map((tag) => tag.name);
    expect(new Set(listed).size).to.equal(listed.length);
    for (const tag of doc.tags) expect(tag.description, tag.name).to.be.a('string').and.match(/\p{L}/u);
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.tags, `${method} ${path}`).to.have.length(1);
        expect(listed, `${method} ${path}`).to.include(operation.tags[0]);
      }
    }
    expect(doc.info.description).to.contain('Lỗi trả về').and.contain('Vai trò');
    expect(doc.info.description).to.not.match(/\b(Errors|Lists answer|Roles|Unknown fields)\b/);
  });

  it('when /docs is opened in the browser, then the operations are listed by feature with no script error', async () => {
    const { page, context, problems } = await openPage();
    try {
      await page.goto('/docs/');
      await page.getByRole('heading', { name: /Mái ấm API/ }).waitFor();
      // One group per feature, and an operation's summary inside it.
      await page.locator('.opblock-tag', { hasText: 'Hồ sơ' }).first().waitFor();
      await page.locator('.opblock-tag', { hasText: 'Chi trả' }).first().waitFor();
      await page.getByText('Tải lên một giấy tờ của hồ sơ', { exact: false }).first().waitFor();
      expect(await page.locator('.opblock').count()).to.be.greaterThan(50);
      await page.getByText('Lỗi trả về dạng').first().waitFor();
      await screenshots(page, 'api-docs');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});
