/**
 * What stops a transition besides roles and scope (SPEC §5): the status it starts from, the revision the
 * client saw (body field or If-Match header), and the reason some actions must give.
 */
import { expect } from 'chai';
import { expectProblem } from '../support/api.js';
import { expectValidation } from '../support/problems.js';
import type { CaseAction, CaseStatus } from '../../src/cases/workflow.js';
import {
  act,
  bodyFor,
  caseAt,
  caseWorld,
  expectUnchanged,
  markPaid,
  readCase,
  stateOf,
  storedCase,
  type CaseView,
  type CaseWorld,
} from './case-fixtures.js';

describe('cases: transition guards (status, revision, reasons)', function () {
  this.timeout(30_000);
  let world: CaseWorld;

  before(async () => {
    world = await caseWorld();
  });

  describe('INVALID_TRANSITION', () => {
    const attempts: [CaseAction, CaseStatus, 'officer' | 'verifier' | 'approver' | 'accountant'][] = [
      ['submit', 'approved', 'officer'],
      ['verify', 'draft', 'verifier'],
      ['approve', 'draft', 'approver'],
      ['revoke', 'verified', 'approver'],
      ['withdraw', 'approved', 'officer'],
      ['close', 'approved', 'accountant'],
      ['submit', 'cancelled', 'officer'],
      ['verify', 'verified', 'verifier'],
      ['approve', 'rejected', 'approver'],
    ];
    for (const [action, status, who] of attempts) {
      it(`when the ${who} tries to ${action} a ${status} case, then 409 INVALID_TRANSITION naming the status, and nothing changes`, async () => {
        const view = await caseAt(world, status);
        const before = await stateOf(view.id);

        const res = await act(world.sessions[who], view.id, action, bodyFor(action, view));

        expectProblem(res, 409, 'INVALID_TRANSITION');
        expect(res.body.status).to.equal(409);
        expect(res.body.detail).to.include(status);
        await expectUnchanged(view.id, before);
      });
    }

    it('when an approved case has money paid out, then the approver is not offered revoke and revoking answers 409 INVALID_TRANSITION', async () => {
      const approved = await caseAt(world, 'approved');
      // Money paid while the case still reads approved (as during a payment being recorded): written directly.
      await markPaid(approved, 'approved', 500_000);
      const seen = await readCase(world.sessions.approver, approved.id);
      expect(seen.allowedActions).to.deep.equal([]);
      const before = await stateOf(approved.id);

      expectProblem(
        await act(world.sessions.approver, approved.id, 'revoke', bodyFor('revoke', seen)),
        409,
        'INVALID_TRANSITION',
      );

      await expectUnchanged(approved.id, before);
    });
  });

  describe('STALE_REVISION', () => {
    let view: CaseView;
    beforeEach(async () => {
      view = await caseAt(world, 'submitted');
    });

    it('when the body carries a revision the case has moved past, then 409 STALE_REVISION and nothing changes', async () => {
      const old = view.revision - 1;
      const before = await stateOf(view.id);

      const res = await act(world.sessions.verifier, view.id, 'verify', { ...bodyFor('verify', view), revision: old });

      expectProblem(res, 409, 'STALE_REVISION');
      await expectUnchanged(view.id, before);
    });

    it('when someone else acted first with the same revision, then the second answers 409 STALE_REVISION', async () => {
      await act(world.sessions.verifier, view.id, 'return', bodyFor('return', view)).expect(200);
      const before = await stateOf(view.id);

      const res = await act(world.sessions.officer, view.id, 'withdraw', bodyFor('withdraw', view));

      expectProblem(res, 409, 'STALE_REVISION');
      await expectUnchanged(view.id, before);
      expect((await storedCase(view.id)).status).to.equal('returned');
    });

    for (const header of ['1', '"1"', 'W/"1"']) {
      it(`when the revision comes only in an If-Match header (${header}) and is old, then 409 STALE_REVISION`, async () => {
        expect(view.revision, 'the arranged case has moved past revision 1').to.be.greaterThan(1);
        const before = await stateOf(view.id);

        const res = await world.sessions.verifier
          .post(`/api/v1/cases/${view.id}/verify`, { recommendedAmount: 1_000_000 })
          .set('If-Match', header);

        expectProblem(res, 409, 'STALE_REVISION');
        await expectUnchanged(view.id, before);
      });
    }

    it('when the current revision comes as the ETag of the read in If-Match, then the action succeeds', async () => {
      const read = await world.sessions.verifier.get(`/api/v1/cases/${view.id}`).expect(200);
      expect(read.headers.etag).to.equal(`"${view.revision}"`);

      const res = await world.sessions.verifier
        .post(`/api/v1/cases/${view.id}/verify`, { recommendedAmount: 1_000_000 })
        .set('If-Match', read.headers.etag as string);

      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.include({ status: 'verified', revision: view.revision + 1, recommendedAmount: 1_000_000 });
    });

    it('when neither a revision field nor If-Match is sent, then 400 with errors on revision and nothing changes', async () => {
      const before = await stateOf(view.id);

      const res = await act(world.sessions.verifier, view.id, 'verify', { recommendedAmount: 1_000_000 });

      expectValidation(res, 'revision');
      await expectUnchanged(view.id, before);
    });

    it('when If-Match is not a revision number, then 400 on revision', async () => {
      const res = await world.sessions.officer.post(`/api/v1/cases/${view.id}/withdraw`, {}).set('If-Match', '"abc"');
      expectValidation(res, 'revision');
    });

    it('when an edit carries an old revision, then PATCH answers 409 STALE_REVISION too', async () => {
      const draft = await caseAt(world, 'draft');
      await world.sessions.officer
        .patch(`/api/v1/cases/${draft.id}`, { revision: draft.revision, situation: 'Bổ sung hoàn cảnh' })
        .expect(200);
      const before = await stateOf(draft.id);

      const res = await world.sessions.officer.patch(`/api/v1/cases/${draft.id}`, {
        revision: draft.revision,
        requestedAmount: 900_000,
      });

      expectProblem(res, 409, 'STALE_REVISION');
      await expectUnchanged(draft.id, before);
    });
  });

  describe('reasons', () => {
    const cases: [CaseAction, CaseStatus, 'verifier' | 'approver'][] = [
      ['return', 'submitted', 'verifier'],
      ['reject', 'verified', 'approver'],
      ['revoke', 'approved', 'approver'],
    ];
    for (const [action, status, who] of cases) {
      it(`when ${action} is sent without a reason, with a blank one or a too short one, then 400 on reason and nothing changes`, async () => {
        const view = await caseAt(world, status);
        const before = await stateOf(view.id);
        const session = world.sessions[who];

        expectValidation(await act(session, view.id, action, { revision: view.revision }), 'reason');
        expectValidation(await act(session, view.id, action, { revision: view.revision, reason: '   ' }), 'reason');
        expectValidation(await act(session, view.id, action, { revision: view.revision, reason: 'ok' }), 'reason');

        await expectUnchanged(view.id, before);
        const res = await act(session, view.id, action, { revision: view.revision, reason: 'Không đúng đối tượng' });
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
        expect((await storedCase(view.id)).history.at(-1)!.note).to.include('Không đúng đối tượng');
      });
    }
  });
});
