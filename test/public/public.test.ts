/**
 * What the public sees without signing in (SPEC §15, issues 19.1–19.2, 15.3): a province's totals by program
 * and campaign with small groups folded, in agreement with the signed-in summary to the đồng; decisions checked
 * by number or by the token of their QR code, as JSON for programs and as a page for people; nothing personal.
 */
import { expect } from 'chai';
import { Case } from '../../src/cases/cases.model.js';
import { api, arrange } from '../support/api.js';
import { expectNotFound, expectValidation } from '../support/problems.js';
import { approvedCase, decisionOf, type DecisionView } from '../decisions/decision-fixtures.js';
import { caseWorld, type CaseView, type CaseWorld } from '../cases/case-fixtures.js';
import { paymentBody, payOk, today } from '../funds/fixtures.js';

interface Figures {
  approved: { count: number; amount: number };
  disbursed: { count: number; amount: number };
  beneficiariesPaid: number;
}
interface PublicRow extends Figures {
  key: { program: string | null; campaign: string | null } | null;
  program: string;
  campaign: string | null;
  groups?: number;
}
interface PublicSummary {
  org: { code: string; name: string };
  rows: PublicRow[];
  total: Figures;
  decisions: { number: string; caseCount: number; totalAmount: number; status: string }[];
}
interface SignedInSummary {
  rows: ({ key: Record<string, string | null> } & Figures)[];
  total: Figures;
}

const quarter = () => `${today().slice(0, 4)}-Q${Math.ceil(Number(today().slice(5, 7)) / 3)}`;

/** Keys that would name or reach a person; none may appear anywhere in a public answer. */
const PERSONAL_KEYS =
  /^(fullName|memberName|memberId|citizenId|citizenIdMasked|accountNo|accountName|bankAccount|bankBin|address|phone|dateOfBirth|signerName|lines|caseIds|caseCode|revokeReason|createdBy)$/i;

function walk(value: unknown, path: string, visit: (path: string, key: string, value: unknown) => void): void {
  if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}[${i}]`, visit));
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      visit(`${path}.${key}`, key, child);
      walk(child, `${path}.${key}`, visit);
    }
  }
}

function expectNothingPersonal(body: unknown, people: readonly { memberName: string; citizenId: string }[]): void {
  walk(body, '$', (path, key, value) => {
    expect(key, path).to.not.match(PERSONAL_KEYS);
    // An id (24 hex characters) may hold twelve digits in a row by chance ('6b1540544886716bcdd04243'): not a CCCD.
    if (typeof value === 'string' && key !== 'sha256' && !/^[0-9a-f]{24}$/.test(value))
      expect(value, path).to.not.match(/\d{12}/);
    if (typeof value === 'number') expect(String(value), path).to.not.match(/^\d{12}$/);
  });
  const text = JSON.stringify(body);
  for (const person of people) expect(text).to.not.contain(person.memberName).and.to.not.contain(person.citizenId);
}

describe('public: totals, decisions by number and by token, without signing in', function () {
  this.timeout(120_000);
  let world: CaseWorld;
  let tet: CaseView[];
  let relief: CaseView[];
  let houses: CaseView[];
  let people: { memberName: string; citizenId: string }[];
  let decision: DecisionView;

  before(async () => {
    world = await caseWorld();
    tet = await Promise.all(Array.from({ length: 6 }, () => approvedCase(world, 'tet_gift')));
    relief = await Promise.all(Array.from({ length: 5 }, () => approvedCase(world, 'disaster_relief')));
    houses = await Promise.all(Array.from({ length: 2 }, () => approvedCase(world, 'union_house')));
    const fundId = (view: CaseView) =>
      (view as unknown as { fundAllocations: { fundId: string }[] }).fundAllocations[0]!.fundId;
    for (const view of tet)
      await payOk(world.sessions.accountant, view.id, paymentBody(fundId(view), { amount: view.approvedAmount }));
    await payOk(world.sessions.accountant, houses[0]!.id, paymentBody(fundId(houses[0]!)));
    const stored = await Case.find(
      { _id: { $in: [...tet, ...relief, ...houses].map((c) => c.id) } },
      { memberName: 1, memberCitizenId: 1 },
    ).lean();
    people = stored.map((c) => ({ memberName: String(c.memberName), citizenId: String(c.memberCitizenId) }));
    decision = await decisionOf(world.sessions.approver, tet[0]!);
  });

  const summary = async (query = `period=${quarter()}`) =>
    arrange<PublicSummary>(api().get(`/api/v1/public/orgs/${world.province.code}/summary?${query}`), 200);

  describe('the summary of a province', () => {
    it('when read without a token, then groups of five people or more are shown and the rest is one "Khác" row that itself holds five or more', async () => {
      const body = await summary();
      expect(body.org).to.deep.equal({ code: world.province.code, name: world.province.name });
      const shown = body.rows.filter((r) => r.key);
      expect(shown.map((r) => r.key)).to.deep.equal([{ program: 'tet_gift', campaign: world.campaigns.tet.id }]);
      expect(shown[0]).to.deep.include({
        approved: { count: 6, amount: tet.reduce((s, c) => s + (c.approvedAmount ?? 0), 0) },
        beneficiariesPaid: 6,
      });
      const other = body.rows.find((r) => !r.key)!;
      // The union houses (2 people) are small; "Khác" with them alone would be small too, so the smaller
      // shown group (relief, 5) joins it.
      expect(other).to.deep.include({ program: 'Khác', groups: 2 });
      expect(other.approved.count).to.equal(7);
      expect(other.approved.amount).to.equal([...relief, ...houses].reduce((s, c) => s + (c.approvedAmount ?? 0), 0));
      expect(other.disbursed.amount).to.equal(25_000_000);
      for (const row of body.rows)
        expect(Math.max(row.approved.count, row.beneficiariesPaid), JSON.stringify(row)).to.be.at.least(5);
    });

    it('when compared with the signed-in summary by program and campaign, then shown rows and the total agree to the đồng, and the rows add up to the total', async () => {
      const body = await summary();
      const signedIn = await arrange<SignedInSummary>(
        world.sessions.accountant.get(
          `/api/v1/reports/summary?period=${quarter()}&groupBy=program,campaign&orgId=${world.province.id}`,
        ),
        200,
      );
      for (const row of body.rows.filter((r) => r.key)) {
        const same = signedIn.rows.find(
          (r) => r.key.program === row.key!.program && r.key.campaign === row.key!.campaign,
        )!;
        expect({
          approved: row.approved,
          disbursed: row.disbursed,
          beneficiariesPaid: row.beneficiariesPaid,
        }).to.deep.equal({
          approved: same.approved,
          disbursed: same.disbursed,
          beneficiariesPaid: same.beneficiariesPaid,
        });
      }
      expect(body.total).to.deep.equal({
        approved: signedIn.total.approved,
        disbursed: signedIn.total.disbursed,
        beneficiariesPaid: signedIn.total.beneficiariesPaid,
      });
      const sum = (pick: (r: PublicRow) => number) => body.rows.reduce((s, r) => s + pick(r), 0);
      expect(sum((r) => r.approved.amount)).to.equal(body.total.approved.amount);
      expect(sum((r) => r.disbursed.amount)).to.equal(body.total.disbursed.amount);
    });

    it('when it lists the decisions of the period, then each has its number, total and how many people, and nothing else of them', async () => {
      const body = await summary();
      expect(body.decisions).to.have.length(13);
      expect(body.decisions.find((d) => d.number === decision.number)).to.deep.include({
        caseCount: 1,
        totalAmount: decision.totalAmount,
        status: 'issued',
      });
      expectNothingPersonal(body, people);
    });

    it("when the period is another one, the code is not a province's, or the period is malformed, then empty figures, 404 and 400", async () => {
      const empty = await summary('period=2001');
      expect(empty.rows).to.deep.equal([]);
      expect(empty.total.approved.amount).to.equal(0);
      expectNotFound(await api().get(`/api/v1/public/orgs/${world.grassroots.code}/summary`));
      expectNotFound(await api().get('/api/v1/public/orgs/KHONGCO/summary'));
      expectValidation(await api().get(`/api/v1/public/orgs/${world.province.code}/summary?period=2026-Q5`), 'period');
      const current = await summary('');
      expect(current.total).to.deep.equal((await summary()).total);
    });

    it('when the page /cong-khai/:code is opened, then it is Vietnamese HTML with the period picker, the chart and the figures, without script or personal data', async () => {
      const res = await api().get(`/cong-khai/${world.province.code}?period=${quarter()}`).set('Accept', 'text/html');
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/^text\/html/);
      expect(res.text)
        .to.contain(world.province.name)
        .and.to.contain('<select name="period">')
        .and.to.contain('<svg')
        .and.to.contain('Khác (2 nhóm dưới 5 người, gộp lại)')
        .and.to.contain('Tổng cộng')
        .and.to.contain('@media print');
      expect(res.text).to.not.match(/<script/i);
      for (const person of people)
        expect(res.text).to.not.contain(person.memberName).and.to.not.contain(person.citizenId);
      expect((await api().get('/cong-khai/KHONGCO').set('Accept', 'text/html')).status).to.equal(404);
    });
  });

  describe('a decision checked by its number', () => {
    const encoded = () => encodeURIComponent(decision.number);

    it('when the number is given URL-encoded in the path or as ?number=, typed without diacritics or as its sequence only, then the verify answer comes', async () => {
      const token = decision.verifyUrl.split('/xac-minh/')[1]!;
      const byToken = await arrange(api().get(`/api/v1/decisions/verify/${token}`), 200);
      for (const path of [
        `/api/v1/public/decisions/${encoded()}?issuer=${world.province.code}`,
        `/api/v1/public/decisions?number=${encoded()}&issuer=${world.province.code.toLowerCase()}`,
        `/api/v1/public/decisions/${decision.sequence}?issuer=${world.province.code}&year=${decision.year}`,
        `/api/v1/public/decisions?number=${encodeURIComponent(`${decision.sequence}/QD-LDLD`)}&issuer=${world.province.code}`,
      ]) {
        const res = await api().get(path);
        expect(res.status, path).to.equal(200);
        expect(res.body, path).to.deep.equal(byToken);
        expectNothingPersonal(res.body, people);
      }
    });

    it('when the number, the issuer or the suffix names no decision, then 404; when the number is malformed or the issuer missing, 400', async () => {
      expectNotFound(await api().get(`/api/v1/public/decisions/9999?issuer=${world.province.code}`));
      expectNotFound(await api().get(`/api/v1/public/decisions/${encoded()}?issuer=KHONGCO`));
      expectNotFound(
        await api().get(`/api/v1/public/decisions?number=${decision.sequence}%2FQD-KHAC&issuer=${world.province.code}`),
      );
      expectValidation(await api().get(`/api/v1/public/decisions/abc?issuer=${world.province.code}`), 'number');
      expectValidation(await api().get(`/api/v1/public/decisions/${encoded()}`), 'issuer');
    });

    it('when the decision is revoked, then the answer by number says so', async () => {
      const house = houses[1]!;
      const current = await arrange<CaseView>(world.sessions.approver.get(`/api/v1/cases/${house.id}`), 200);
      await arrange(
        world.sessions.approver.post(`/api/v1/cases/${house.id}/revoke`, {
          revision: current.revision,
          reason: 'Trùng hồ sơ',
        }),
        200,
      );
      const revoked = await decisionOf(world.sessions.approver, house);
      const res = await arrange<{ status: string }>(
        api().get(
          `/api/v1/public/decisions/${encodeURIComponent(revoked.number)}?issuer=${world.province.code}&year=${revoked.year}`,
        ),
        200,
      );
      expect(res.status).to.equal('revoked');
      const page = await api()
        .get(
          `/xac-minh?number=${encodeURIComponent(revoked.number)}&issuer=${world.province.code}&year=${revoked.year}`,
        )
        .set('Accept', 'text/html');
      expect(page.text).to.contain('Đã thu hồi');
    });

    it('when the page /xac-minh is opened, then it is a form; with a number and issuer it shows the decision; a wrong one says it was not found', async () => {
      const form = await api().get('/xac-minh').set('Accept', 'text/html');
      expect(form.status).to.equal(200);
      expect(form.text).to.contain('<form method="get" action="/xac-minh">').and.to.contain('Số quyết định');
      expect(form.text).to.not.match(/<script/i);
      const found = await api()
        .get(`/xac-minh?number=${encoded()}&issuer=${world.province.code}&year=${decision.year}`)
        .set('Accept', 'text/html');
      expect(found.text)
        .to.contain(`Quyết định số ${decision.number}`)
        .and.to.contain('Còn hiệu lực')
        .and.to.contain(decision.pdf!.sha256);
      const missing = await api().get(`/xac-minh?number=9999&issuer=${world.province.code}`).set('Accept', 'text/html');
      expect(missing.text).to.contain('Không tìm thấy quyết định');
      const hostile = await api().get('/xac-minh?number=1%00&issuer=H%00T').set('Accept', 'text/html');
      expect(hostile.status).to.equal(200);
      expect(hostile.text).to.contain('Mã đơn vị gồm chữ cái');
      expect((await api().get('/cong-khai/%3Cb%3E').set('Accept', 'text/html')).status).to.equal(404);
    });
  });

  describe('what the QR code opens', () => {
    it('when a phone opens the printed link, then it gets a Vietnamese page with number, date dd/mm/yyyy, issuer, total in đồng, people, validity and SHA-256; a program asking for JSON gets JSON', async () => {
      const path = new URL(decision.verifyUrl).pathname;
      const res = await api().get(path).set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/^text\/html/);
      const [y, m, d] = decision.issuedAt.split('-');
      for (const text of [
        decision.number,
        `${d}/${m}/${y}`,
        world.province.name,
        `${decision.totalAmount.toLocaleString('de-DE')} đồng`,
        'Còn hiệu lực',
        decision.pdf!.sha256,
        'Số người được hỗ trợ',
      ]) {
        expect(res.text, text).to.contain(text);
      }
      expect(res.text).to.not.match(/<script/i);
      expect(res.text).to.contain('name="viewport"');
      for (const person of people) expect(res.text).to.not.contain(person.memberName);
      const json = await api().get(path).set('Accept', 'application/json');
      expect(json.headers['content-type']).to.match(/^application\/json/);
      expect(json.body).to.include({ number: decision.number, sha256: decision.pdf!.sha256 });
      expectNothingPersonal(json.body, people);
      const unknown = await api()
        .get(`/xac-minh/${'B'.repeat(22)}`)
        .set('Accept', 'text/html');
      expect(unknown.status).to.equal(404);
      expect(unknown.text).to.contain('Không tìm thấy');
    });

    it('when a name carries markup, then the page shows it as text (escaped)', async () => {
      const { escapeCheck } = await import('./escape-check.js');
      expect(escapeCheck('<img src=x onerror=alert(1)>')).to.equal('&lt;img src=x onerror=alert(1)&gt;');
    });
  });
});
