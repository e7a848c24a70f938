/**
 * Four eyes (SPEC §2): the user who verified a case cannot approve it.
 *
 * A provincial officer may hold verifier and approver together (test/cases/direct-upper-union-verification.test.ts
 * has that person verify and then be refused the approval, one case and a list alike); an upper union's user
 * cannot be an approver. The rule guards the data however a verifier's id came to be recorded: the second test
 * writes the approver's id as the verifier straight into the stored case.
 */
import { expect } from 'chai';
import { expectProblem, loginAdmin, type Session } from '../support/api.js';
import { PASSWORD, unique, userSession } from '../support/factory.js';
import { expectValidation } from '../support/problems.js';
import { Case } from '../../src/cases/cases.model.js';
import {
  act,
  actOk,
  bodyFor,
  caseAt,
  caseWorld,
  expectUnchanged,
  readCase,
  stateOf,
  storedCase,
  type CaseWorld,
} from './case-fixtures.js';

describe('cases: four eyes between verification and approval', function () {
  this.timeout(30_000);
  let world: CaseWorld;
  let secondApprover: Session;

  before(async () => {
    world = await caseWorld();
    secondApprover = await userSession(await loginAdmin(), world.province.id, ['approver']);
  });

  it("when an admin gives one user of the upper union both verifier and approver, then 400 on roles: approving is the province's", async () => {
    const root = await loginAdmin();
    const res = await root.post('/api/v1/users', {
      username: unique('both').toLowerCase(),
      password: PASSWORD,
      fullName: 'Người hai vai',
      orgId: world.upper.id,
      roles: ['verifier', 'approver'],
    });
    expectValidation(res, 'roles');
  });

  it("when the approver is recorded as the case's verifier, then approve is not offered to them and approving answers 409 SEPARATION_OF_DUTIES; another approver may approve", async () => {
    const verified = await caseAt(world, 'verified');
    const approver = world.sessions.approver;
    await Case.updateOne({ _id: verified.id }, { $set: { 'verifiedBy.id': approver.user.id } });

    const seen = await readCase(approver, verified.id);
    expect(seen.allowedActions).to.have.members(['return', 'reject']);
    const before = await stateOf(verified.id);

    const res = await act(approver, verified.id, 'approve', bodyFor('approve', seen));

    expectProblem(res, 409, 'SEPARATION_OF_DUTIES');
    await expectUnchanged(verified.id, before);
    const other = await readCase(secondApprover, verified.id);
    expect(other.allowedActions).to.include('approve');
    const approved = await actOk(secondApprover, verified.id, 'approve', bodyFor('approve', other));
    expect(approved.status).to.equal('approved');
    expect((await storedCase(verified.id)).approvedBy?.id).to.equal(secondApprover.user.id);
  });

  it('when the verifier and the approver are different people, then the approver is offered approve and the stored verifier is the verifier', async () => {
    const verified = await caseAt(world, 'verified');
    const stored = await storedCase(verified.id);
    expect(stored.verifiedBy?.id).to.equal(world.sessions.verifier.user.id);
    expect((await readCase(world.sessions.approver, verified.id)).allowedActions).to.include('approve');
  });
});
