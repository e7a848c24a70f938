/**
 * Reading decisions (SPEC §6, §2): the record and its PDF inside scope only (404 outside), the stored bytes
 * served identical forever, also after a restart, and the public verification behind the QR code.
 */
import { expect } from 'chai';
import { createApp } from '../../src/app.js';
import { Case } from '../../src/cases/cases.model.js';
import { connectDatabase, disconnectDatabase } from '../../src/core/db/connection.js';
import { createLogger } from '../../src/core/logger.js';
import { api, arrange, login, loginAdmin, type Session } from '../support/api.js';
import { testEnv } from '../support/global-setup.js';
import { expectNotFound, expectValidation, unknownId } from '../support/problems.js';
import { foreignProvince } from '../support/provinces.js';
import { PASSWORD, unique, type ProvinceTree } from '../support/factory.js';
import { caseWorld, type CaseView, type CaseWorld } from '../cases/case-fixtures.js';
import { approvedCase, binary, decisionOf, downloadPdf, sha256, type DecisionView } from './decision-fixtures.js';
import request from 'supertest';

describe('decisions: reads, scope and verification', () => {
  let world: CaseWorld;
  let foreign: ProvinceTree;
  let approved: CaseView;
  let decision: DecisionView;
  let bytes: Buffer;

  before(async () => {
    [world, foreign] = await Promise.all([caseWorld(), foreignProvince()]);
    approved = await approvedCase(world, 'tet_gift', {}, { member: { fullName: 'Lê Thị Ẩn' } });
    decision = await decisionOf(world.sessions.approver, approved);
    ({ bytes } = await downloadPdf(world.sessions.approver, decision.id));
  });

  it('when the approver reads the decision, then it names the case, the province, the amount and the default signer', async () => {
    expect(decision).to.include({
      issuerOrgId: world.province.id,
      programCode: 'tet_gift',
      status: 'issued',
      kind: 'single',
      totalAmount: approved.approvedAmount,
    });
    expect(decision.caseIds).to.deep.equal([approved.id]);
    expect(decision.campaignId).to.equal(world.campaigns.tet.id);
    // Test users have no title: the default title is "CHỦ TỊCH", the name the approver's.
    const me = await arrange<{ fullName: string }>(world.sessions.approver.get('/api/v1/auth/me'), 200);
    expect(decision).to.include({ signerName: me.fullName, signerTitle: 'CHỦ TỊCH' });
    // No internal field and no CCCD: compare with the member's own number, since ids and hashes may hold 12 digits in a row.
    const stored = await Case.findById(approved.id).lean();
    expect(stored?.memberCitizenId).to.match(/^\d{12}$/);
    expect(JSON.stringify(decision))
      .to.not.match(/scopeOrgIds|fileId|"_id"/)
      .and.to.not.include(stored!.memberCitizenId);
  });

  it('when the approving user has a title, then the decision is signed with it in capitals', async () => {
    const admin = await loginAdmin();
    const username = unique('pct').toLowerCase();
    await arrange(
      admin.post('/api/v1/users', {
        username,
        password: PASSWORD,
        fullName: 'Trần Thị Bình',
        title: 'Phó Chủ tịch',
        orgId: world.province.id,
        roles: ['approver'],
      }),
    );
    const deputy = await login(username, PASSWORD);
    const signed = await decisionOf(
      deputy,
      await approvedCase({ ...world, sessions: { ...world.sessions, approver: deputy } }),
    );
    expect(signed).to.include({ signerName: 'Trần Thị Bình', signerTitle: 'PHÓ CHỦ TỊCH' });
  });

  describe('when the PDF is downloaded', () => {
    it('then it is application/pdf with the SHA-256 of its bytes as ETag, and a matching If-None-Match answers 304', async () => {
      const { res } = await downloadPdf(world.sessions.approver, decision.id);
      expect(res.headers['content-type']).to.equal('application/pdf');
      expect(res.headers.etag).to.equal(`"${sha256(bytes)}"`);
      expect(Number(res.headers['content-length'])).to.equal(bytes.length);
      expect(bytes.subarray(0, 5).toString()).to.equal('%PDF-');
      const cached = await world.sessions.approver
        .get(`/api/v1/decisions/${decision.id}/pdf`)
        .set('If-None-Match', res.headers.etag as string);
      expect(cached.status).to.equal(304);
    });

    it('then every reader, on every read, gets the same bytes', async () => {
      for (const session of [
        world.sessions.approver,
        world.sessions.verifier,
        world.sessions.accountant,
        world.sessions.officer,
        world.sessions.admin,
      ]) {
        expect(Buffer.compare((await downloadPdf(session, decision.id)).bytes, bytes)).to.equal(0);
      }
    });

    it('then after the database connection is closed and opened again and the app built anew, the bytes are still the same', async () => {
      await disconnectDatabase();
      // As the suite's own connection is opened: later files count the commands sent (test/support/db-reads.ts).
      await connectDatabase(testEnv().engine.uri, { monitorCommands: true });
      const fresh = createApp({ config: testEnv().config, logger: createLogger('silent') });
      const res = await binary(
        request(fresh)
          .get(`/api/v1/decisions/${decision.id}/pdf`)
          .set('Authorization', `Bearer ${world.sessions.verifier.token}`),
      );
      expect(res.status).to.equal(200);
      expect(Buffer.compare(res.body as Buffer, bytes)).to.equal(0);
    });
  });

  describe("when someone outside the decision's scope asks for it", () => {
    it("then the sibling union, and the other province's approver, verifier and accountant get 404 for the record and the PDF", async () => {
      for (const session of [
        world.sessions.siblingOfficer,
        foreign.sessions.approver,
        foreign.sessions.verifier,
        foreign.sessions.accountant,
        foreign.sessions.admin,
      ]) {
        expectNotFound(await session.get(`/api/v1/decisions/${decision.id}`));
        expectNotFound(await session.get(`/api/v1/decisions/${decision.id}/pdf`));
      }
    });

    it("then the list does not show it to them, and does to the case's union and the province", async () => {
      const ids = async (session: Session) =>
        (await arrange<{ items: { id: string }[] }>(session.get('/api/v1/decisions?limit=100'), 200)).items.map(
          (d) => d.id,
        );
      expect(await ids(world.sessions.siblingOfficer)).to.not.include(decision.id);
      expect(await ids(foreign.sessions.approver)).to.not.include(decision.id);
      expect(await ids(world.sessions.officer)).to.include(decision.id);
      expect(await ids(world.sessions.verifier)).to.include(decision.id);
    });

    it('then an id that names no decision answers 404, and a malformed one 400', async () => {
      expectNotFound(await world.sessions.approver.get(`/api/v1/decisions/${unknownId()}/pdf`));
      expectNotFound(await api().get(`/api/v1/decisions/${unknownId()}/verify`));
      expectNotFound(await api().get(`/api/v1/decisions/${approved.id}/verify`));
      expectValidation(await api().get('/api/v1/decisions/not-an-id/verify'), 'id');
      expectNotFound(await api().get(`/api/v1/decisions/verify/${'A'.repeat(22)}`));
      expectValidation(await api().get('/api/v1/decisions/verify/too-short'), 'token');
    });
  });

  it('when the list is filtered by program, campaign, status and decision date, then only matching decisions come', async () => {
    const s = world.sessions.approver;
    const list = async (query: string) =>
      (await arrange<{ items: DecisionView[]; total: number }>(s.get(`/api/v1/decisions?${query}`), 200)).items;
    expect((await list(`programCode=tet_gift&limit=100`)).map((d) => d.id)).to.include(decision.id);
    expect((await list(`programCode=union_house&limit=100`)).map((d) => d.id)).to.not.include(decision.id);
    expect((await list(`campaignId=${world.campaigns.tet.id}&status=issued&limit=100`)).map((d) => d.id)).to.include(
      decision.id,
    );
    expect(
      (await list(`from=${decision.issuedAt}&to=${decision.issuedAt}&limit=100`)).every(
        (d) => d.issuedAt === decision.issuedAt,
      ),
    ).to.equal(true);
    expect(await list('from=2000-01-01&to=2000-12-31')).to.deep.equal([]);
    const first = (await list('limit=100'))[0]!;
    expect(first).to.not.have.property('lines');
    expect(first).to.have.property('pdfUrl', `/api/v1/decisions/${first.id}/pdf`);
  });

  it('when anyone verifies with the token of the printed link, without signing in, then they get the number, date, issuer, total, status and the SHA-256 of the served bytes, and nothing personal', async () => {
    const token = decision.verifyUrl.split('/xac-minh/')[1]!;
    const res = await api().get(`/api/v1/decisions/verify/${token}`);
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.include({
      number: decision.number,
      issuedAt: decision.issuedAt,
      issuer: { name: world.province.name },
      totalAmount: decision.totalAmount,
      caseCount: 1,
      status: 'issued',
      sha256: sha256(bytes),
    });
    expect(res.body).to.not.have.property('id');
    const json = JSON.stringify(res.body);
    expect(json).to.not.contain('Lê Thị Ẩn').and.to.not.contain(decision.signerName).and.to.not.contain('********');
  });

  it('when the same decision is asked for by its id without signing in, then 404 (ids are nearly sequential); signed in within scope, the answer; outside scope, 404', async () => {
    expectNotFound(await api().get(`/api/v1/decisions/${decision.id}/verify`));
    const inScope = await world.sessions.verifier.get(`/api/v1/decisions/${decision.id}/verify`);
    expect(inScope.status).to.equal(200);
    expect(inScope.body).to.include({ id: decision.id, number: decision.number, sha256: sha256(bytes) });
    expectNotFound(await foreign.sessions.approver.get(`/api/v1/decisions/${decision.id}/verify`));
    const forged = await api()
      .get(`/api/v1/decisions/${decision.id}/verify`)
      .set('Authorization', 'Bearer not-a-token');
    expect(forged.status).to.equal(401);
  });

  describe('when the approval is revoked', () => {
    it('then the decision is marked revoked with the reason, the case keeps it, verify says so and the PDF bytes do not change', async () => {
      const current = await arrange<CaseView>(world.sessions.approver.get(`/api/v1/cases/${approved.id}`), 200);
      const reason = 'Trùng với danh sách hỗ trợ của huyện';
      await arrange(
        world.sessions.approver.post(`/api/v1/cases/${approved.id}/revoke`, { revision: current.revision, reason }),
        200,
      );

      const revoked = await decisionOf(world.sessions.approver, approved);
      expect(revoked).to.include({ id: decision.id, status: 'revoked', revokeReason: reason });
      expect(revoked.revocations.map((r) => r.reason)).to.deep.equal([reason]);
      const verify = await api().get(`/api/v1/decisions/verify/${decision.verifyUrl.split('/xac-minh/')[1]!}`);
      expect(verify.body).to.include({ status: 'revoked', sha256: sha256(bytes) });
      expect(verify.body.revokedAt).to.be.a('string');
      expect(JSON.stringify(verify.body)).to.not.contain(reason);
      expect(Buffer.compare((await downloadPdf(world.sessions.approver, decision.id)).bytes, bytes)).to.equal(0);
      const listed = await arrange<{ items: DecisionView[] }>(
        world.sessions.approver.get('/api/v1/decisions?status=revoked&limit=100'),
        200,
      );
      expect(listed.items.map((d) => d.id)).to.include(decision.id);
      // The repair route answers the decision and records nothing twice.
      const settled = await arrange<DecisionView>(
        world.sessions.approver.post(`/api/v1/cases/${approved.id}/decision`, {}),
        200,
      );
      expect(settled.revocations).to.have.length(1);
    });
  });
});
