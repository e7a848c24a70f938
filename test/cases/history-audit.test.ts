/**
 * Every transition is appended to the case's history ({action, from, to, by {id, name}, at, note}) and to
 * the append-only audit log with the request id (SPEC §5, §10); reading a case's personal data is audited;
 * the member snapshot is taken at submission.
 */
import { expect } from 'chai';
import { arrange, type Session } from '../support/api.js';
import { unique, uniqueCitizenId } from '../support/factory.js';
import { allocationsFor } from '../support/funds.js';
import { AuditEntry } from '../../src/audit/audit.model.js';
import type { CaseAction } from '../../src/cases/workflow.js';
import {
  caseWorld,
  createMember,
  newCase,
  readCase,
  storedCase,
  type CaseView,
  type CaseWorld,
} from './case-fixtures.js';

function fullNameOf(session: Session): string {
  return (session.user as unknown as { fullName: string }).fullName;
}

describe('cases: history and audit', function () {
  this.timeout(30_000);
  let world: CaseWorld;

  before(async () => {
    world = await caseWorld();
  });

  it('when a case goes through submit, return, submit, verify, approve and revoke, then history and audit record each step with actor, time, note and request id', async () => {
    const s = world.sessions;
    const { view } = await newCase(world, 'tet_gift');
    const steps: [Session, CaseAction, Record<string, unknown>, string, string][] = [
      [s.officer, 'submit', { note: 'Gửi lần đầu' }, 'draft', 'submitted'],
      [s.verifier, 'return', { reason: 'Bổ sung xác nhận hoàn cảnh' }, 'submitted', 'returned'],
      [s.officer, 'submit', { note: 'Đã bổ sung' }, 'returned', 'submitted'],
      [s.verifier, 'verify', { recommendedAmount: 900_000, note: 'Đã khảo sát ngày 02/8' }, 'submitted', 'verified'],
      [
        s.approver,
        'approve',
        { approvedAmount: 900_000, fundAllocations: allocationsFor(world.province.id, 900_000), note: 'Đồng ý' },
        'verified',
        'approved',
      ],
      [s.approver, 'revoke', { reason: 'Đối tượng đã nhận hỗ trợ nơi khác' }, 'approved', 'revoked'],
    ];
    const startedAt = Date.now();
    let current: CaseView = view;
    const requestIds: string[] = [];
    for (const [session, action, body] of steps) {
      const requestId = unique('req-case-');
      requestIds.push(requestId);
      const res = await session
        .post(`/api/v1/cases/${view.id}/${action}`, { revision: current.revision, ...body })
        .set('X-Request-Id', requestId);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.headers['x-request-id']).to.equal(requestId);
      current = res.body as CaseView;
    }

    const stored = await storedCase(view.id);
    const transitions = stored.history.filter((h) => h.action !== 'create');
    expect(stored.history[0]).to.include({ action: 'create', from: null, to: 'draft' });
    expect(transitions.map((h) => [h.action, h.from, h.to])).to.deep.equal(
      steps.map(([, action, , from, to]) => [action, from, to]),
    );
    let previous = startedAt - 1;
    transitions.forEach((entry, i) => {
      const [session, , body] = steps[i]!;
      expect(entry.by).to.deep.equal({ id: session.user.id, name: fullNameOf(session) });
      expect(entry.at.getTime()).to.be.at.least(previous).and.at.most(Date.now());
      previous = entry.at.getTime();
      expect(entry.note).to.include(String(body.reason ?? body.note));
    });
    expect(current.history.map((h) => h.action)).to.deep.equal(stored.history.map((h) => h.action));

    for (const [i, requestId] of requestIds.entries()) {
      const [session, action, , from, to] = steps[i]!;
      const entries = await AuditEntry.find({ requestId, action: `case.${action}` }).lean();
      expect(entries, `audit of ${action}`).to.have.length(1);
      expect(entries[0]).to.include({
        entity: 'case',
        entityId: view.id,
        actorId: session.user.id,
        actorName: fullNameOf(session),
      });
      expect(entries[0]!.details).to.deep.include({ from, to, code: view.code });
      expect(entries[0]!.orgPath.map(String)).to.include(world.grassroots.id);
    }
  });

  it('when a case is created or edited, then both are in the history and the audit log with the request id', async () => {
    const member = await createMember(world.sessions.officer, world.grassroots.id);
    const createId = unique('req-create-');
    const created = await world.sessions.officer
      .post('/api/v1/cases', {
        programCode: 'tet_gift',
        memberId: member.id,
        campaignId: world.campaigns.tet.id,
        requestedAmount: 500_000,
      })
      .set('X-Request-Id', createId)
      .expect(201);
    const editId = unique('req-edit-');
    await world.sessions.officer
      .patch(`/api/v1/cases/${created.body.id}`, { revision: 1, requestedAmount: 600_000 })
      .set('X-Request-Id', editId)
      .expect(200);

    expect(
      await AuditEntry.countDocuments({ requestId: createId, action: 'case.create', entityId: created.body.id }),
    ).to.equal(1);
    expect(
      await AuditEntry.countDocuments({ requestId: editId, action: 'case.update', entityId: created.body.id }),
    ).to.equal(1);
    const stored = await storedCase(created.body.id);
    expect(stored.history.map((h) => h.action)).to.deep.equal(['create', 'update']);
    expect(stored.history[1]!.note).to.include('requestedAmount');
    expect(stored.requestedAmount).to.equal(600_000);
  });

  it('when a refused action is attempted, then no audit entry carries its request id', async () => {
    const { view } = await newCase(world, 'tet_gift');
    const ids = [unique('req-refused-'), unique('req-refused-'), unique('req-refused-')];
    await world.sessions.verifier
      .post(`/api/v1/cases/${view.id}/verify`, { revision: view.revision, recommendedAmount: 1 })
      .set('X-Request-Id', ids[0]!)
      .expect(409);
    await world.sessions.accountant
      .post(`/api/v1/cases/${view.id}/submit`, { revision: view.revision })
      .set('X-Request-Id', ids[1]!)
      .expect(403);
    await world.sessions.officer
      .post(`/api/v1/cases/${view.id}/submit`, { revision: view.revision + 5 })
      .set('X-Request-Id', ids[2]!)
      .expect(409);

    expect(await AuditEntry.countDocuments({ requestId: { $in: ids } })).to.equal(0);
  });

  it('when a submitted case is read, then a case.read_personal_data audit entry names the reader and the request; reading a draft (no snapshot) writes none', async () => {
    const { view: draft } = await newCase(world, 'tet_gift');
    const { view } = await newCase(world, 'tet_gift');
    await world.sessions.officer.post(`/api/v1/cases/${view.id}/submit`, { revision: view.revision }).expect(200);
    const readId = unique('req-read-');
    const draftReadId = unique('req-read-');

    const res = await world.sessions.verifier.get(`/api/v1/cases/${view.id}`).set('X-Request-Id', readId).expect(200);
    await world.sessions.verifier.get(`/api/v1/cases/${draft.id}`).set('X-Request-Id', draftReadId).expect(200);

    expect(res.body.memberSnapshot.citizenId).to.match(/^\d{12}$/);
    const entries = await AuditEntry.find({ requestId: readId }).lean();
    expect(entries).to.have.length(1);
    expect(entries[0]).to.include({
      action: 'case.read_personal_data',
      entity: 'case',
      entityId: view.id,
      actorId: world.sessions.verifier.user.id,
    });
    expect(await AuditEntry.countDocuments({ requestId: draftReadId })).to.equal(0);
  });

  it('when the member is renamed before submission and edited after it, then the case takes the name and CCCD at submission, is found by them, and its snapshot keeps the submitted data', async () => {
    const officer = world.sessions.officer;
    const { member, view } = await newCase(world, 'tet_gift', {
      member: { fullName: 'Phạm Văn Cũ', phone: '0911111111' },
    });
    const corrected = uniqueCitizenId();
    await arrange(officer.patch(`/api/v1/members/${member.id}`, { fullName: 'Lê Thị Mới', citizenId: corrected }), 200);

    await officer.post(`/api/v1/cases/${view.id}/submit`, { revision: view.revision }).expect(200);
    await arrange(officer.patch(`/api/v1/members/${member.id}`, { phone: '0922222222', fullName: 'Lê Thị Sau' }), 200);

    const read = await readCase(officer, view.id);
    expect(read.memberName).to.equal('Lê Thị Mới');
    expect(read.memberSnapshot).to.include({ fullName: 'Lê Thị Mới', phone: '0911111111', citizenId: corrected });
    for (const q of ['le%20thi%20moi', corrected]) {
      const found = await arrange<{ items: { id: string }[] }>(officer.get(`/api/v1/cases?q=${q}`), 200);
      expect(
        found.items.map((item) => item.id),
        q,
      ).to.deep.equal([view.id]);
    }
  });
});
