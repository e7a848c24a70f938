/**
 * The workflow table (src/cases/workflow.ts) read row by row: every transition from every status it
 * allows, by every role it allows, succeeds; every other role is refused with 403, every holder of the
 * role outside the case's subtree with 404, every other status with 409 INVALID_TRANSITION; and
 * `allowedActions` names exactly the accepted actions. Refusals leave the stored case untouched.
 */
import { expect } from 'chai';
import { expectProblem, type Session } from '../support/api.js';
import type { ProvinceTree } from '../support/factory.js';
import { foreignProvince } from '../support/provinces.js';
import { unknownId } from '../support/problems.js';
import { AuditEntry } from '../../src/audit/audit.model.js';
import { BenefitClaim } from '../../src/cases/cases.model.js';
import {
  CASE_ACTIONS,
  CASE_STATUSES,
  TRANSITIONS,
  type CaseAction,
  type CaseStatus,
} from '../../src/cases/workflow.js';
import { ROLES, type Role } from '../../src/core/shared/roles.js';
import {
  act,
  bodyFor,
  caseAt,
  caseWorld,
  expectUnchanged,
  outsidersByRole,
  readCase,
  sessionsByRole,
  stateOf,
  storedCase,
  type CaseView,
  type CaseWorld,
} from './case-fixtures.js';

/**
 * What each role may do in each status, written from SPEC §5 and §12 rather than computed from the table,
 * so that the table and `allowedActions` are both checked against the contract. Tết gifts need
 * verification, so nobody approves a submitted one.
 */
const EXPECTED: Record<CaseStatus, Partial<Record<Role, CaseAction[]>>> = {
  draft: { grassroots_officer: ['submit', 'withdraw'] },
  submitted: {
    grassroots_officer: ['withdraw'],
    verifier: ['verify', 'return', 'reject'],
    approver: ['return', 'reject'],
  },
  returned: { grassroots_officer: ['submit', 'withdraw'] },
  verified: { verifier: ['return', 'reject'], approver: ['approve', 'return', 'reject'] },
  approved: { approver: ['revoke'] },
  partially_disbursed: {},
  disbursed: { approver: ['close'], accountant: ['close'] },
  closed: {},
  rejected: {},
  revoked: {},
  cancelled: {},
};

/** The one row of the table that depends on the program: approval straight from `submitted` (eligibility.test.ts). */
function needsProgramWithoutVerification(action: CaseAction, from: CaseStatus): boolean {
  return action === 'approve' && from === 'submitted';
}

describe('cases: the workflow table, role by role and status by status', function () {
  this.timeout(60_000);
  let world: CaseWorld;
  let foreign: ProvinceTree;
  let byRole: Record<Role, Session>;
  /** One case in every status; only refused requests and reads are aimed at them. */
  const at = {} as Record<CaseStatus, CaseView>;
  /** A case of its own for each allowed (action, from, role), arranged together to keep the file fast. */
  const fresh = new Map<string, CaseView>();
  const rows = TRANSITIONS.flatMap((t) =>
    t.from.flatMap((from) => t.roles.map((role) => ({ t, from, role, key: `${t.action}:${from}:${role}` }))),
  ).filter((row) => !needsProgramWithoutVerification(row.t.action, row.from));

  before(async () => {
    [world, foreign] = await Promise.all([caseWorld(), foreignProvince()]);
    byRole = sessionsByRole(world);
    const [views, own] = await Promise.all([
      Promise.all(CASE_STATUSES.map((status) => caseAt(world, status))),
      Promise.all(rows.map((row) => caseAt(world, row.from))),
    ]);
    CASE_STATUSES.forEach((status, i) => {
      at[status] = views[i]!;
    });
    rows.forEach((row, i) => fresh.set(row.key, own[i]!));
  });

  it('when the expectations of the contract are laid beside the table, then they name the same transitions', () => {
    const fromTable = new Set<string>();
    for (const t of TRANSITIONS) {
      for (const from of t.from) {
        for (const role of t.roles)
          if (!needsProgramWithoutVerification(t.action, from)) fromTable.add(`${from}:${role}:${t.action}`);
      }
    }
    const fromContract = new Set<string>();
    for (const status of CASE_STATUSES) {
      for (const [role, actions] of Object.entries(EXPECTED[status]))
        for (const action of actions ?? []) fromContract.add(`${status}:${role}:${action}`);
    }
    // partially_disbursed cases can be neither revoked (money paid) nor closed (not fully paid).
    expect([...fromContract].sort()).to.deep.equal([...fromTable].sort());
  });

  describe('allowed: every row of the table, from every status it lists, by every role it lists', () => {
    for (const { t, from, role, key } of rows) {
      it(`when a ${role} of the case's scope takes "${t.action}" on a ${from} case, then it becomes ${t.to}, with history, audit and claim`, async () => {
        const actor = byRole[role];
        const view = fresh.get(key)!;
        const seen = await readCase(actor, view.id);
        expect(seen.allowedActions, 'offered before acting').to.include(t.action);
        const auditFilter = { entityId: view.id, action: `case.${t.action}` };
        const auditBefore = await AuditEntry.countDocuments(auditFilter);

        const res = await act(actor, view.id, t.action, bodyFor(t.action, seen));

        expect(res.status, JSON.stringify(res.body)).to.equal(200);
        expect(res.body.status).to.equal(t.to);
        expect(res.body.revision).to.equal(seen.revision + 1);
        const stored = await storedCase(view.id);
        expect(stored.status).to.equal(t.to);
        expect(stored.revision).to.equal(seen.revision + 1);
        const last = stored.history.at(-1)!;
        expect(last).to.include({ action: t.action, from, to: t.to });
        expect(last.by?.id).to.equal(actor.user.id);
        const audit = await AuditEntry.find(auditFilter).sort({ at: 1 }).lean();
        expect(audit).to.have.length(auditBefore + 1);
        expect(audit.at(-1)!.details).to.include({ from, to: t.to, code: view.code });
        expect(audit.at(-1)!.actorId).to.equal(actor.user.id);
        const claims = await BenefitClaim.countDocuments({ caseId: view.id });
        if (t.reserves?.includes('duplicateClaim'))
          expect(claims, 'the submission holds a claim on the member').to.equal(1);
        if (t.releases?.includes('duplicateClaim')) expect(claims, 'the claim is given back').to.equal(0);
      });
    }

    it('when an approver tries to approve a submitted case of a program that requires verification, then 409 INVALID_TRANSITION', async () => {
      const view = at.submitted;
      const before = await stateOf(view.id);
      expectProblem(
        await act(byRole.approver, view.id, 'approve', bodyFor('approve', view)),
        409,
        'INVALID_TRANSITION',
      );
      await expectUnchanged(view.id, before);
    });
  });

  describe('forbidden: roles the table does not list answer 403', () => {
    for (const t of TRANSITIONS) {
      const others = ROLES.filter((role) => !t.roles.includes(role));
      it(`when a ${others.join(' / ')} in scope tries to ${t.action} a ${t.from.join(' / ')} case, then 403 FORBIDDEN and nothing changes`, async () => {
        const sessions = [
          ...others.map((role) => byRole[role]),
          ...(others.includes('admin') ? [world.sessions.upperAdmin] : []),
        ];
        for (const from of t.from) {
          const view = at[from];
          const before = await stateOf(view.id);
          for (const session of sessions) {
            const res = await act(session, view.id, t.action, bodyFor(t.action, view));
            expectProblem(res, 403, 'FORBIDDEN');
          }
          await expectUnchanged(view.id, before);
        }
      });
    }
  });

  describe('out of scope: holders of the role elsewhere answer 404', () => {
    for (const t of TRANSITIONS) {
      it(`when a ${t.roles.join(' / ')} of the sibling union or another province tries to ${t.action}, then 404 NOT_FOUND and nothing changes`, async () => {
        const outsiders = outsidersByRole(world, foreign);
        for (const from of t.from) {
          const view = at[from];
          const before = await stateOf(view.id);
          for (const role of t.roles) {
            const outsider = outsiders[role];
            expect(outsider, `an outsider holding ${role}`).to.not.equal(undefined);
            expectProblem(await act(outsider!, view.id, t.action, bodyFor(t.action, view)), 404, 'NOT_FOUND');
          }
          await expectUnchanged(view.id, before);
        }
        expectProblem(
          await act(byRole[t.roles[0]!], unknownId(), t.action, { revision: 1, ...bodyFor(t.action, at.draft) }),
          404,
          'NOT_FOUND',
        );
      });
    }
  });

  describe('invalid: every status the row does not list answers 409 INVALID_TRANSITION', () => {
    for (const t of TRANSITIONS) {
      const elsewhere = CASE_STATUSES.filter((status) => !t.from.includes(status));
      it(`when a ${t.roles.join(' / ')} tries to ${t.action} a ${elsewhere.join(' / ')} case, then 409 INVALID_TRANSITION and nothing changes`, async () => {
        for (const status of elsewhere) {
          const view = at[status];
          const before = await stateOf(view.id);
          for (const role of t.roles) {
            const res = await act(byRole[role], view.id, t.action, bodyFor(t.action, view));
            expect(res.status, `${t.action} from ${status} by ${role}: ${JSON.stringify(res.body)}`).to.equal(409);
            expectProblem(res, 409, 'INVALID_TRANSITION');
          }
          await expectUnchanged(view.id, before, `${t.action} on a ${status} case`);
        }
      });
    }
  });

  describe('allowedActions', () => {
    for (const status of CASE_STATUSES) {
      it(`when every role reads a ${status} case, then allowedActions is exactly ${JSON.stringify(EXPECTED[status])} and every other action is refused`, async () => {
        const view = at[status];
        const before = await stateOf(view.id);
        const readers: [Role, Session][] = [
          ...(Object.entries(byRole) as [Role, Session][]),
          ['admin', world.sessions.upperAdmin],
        ];
        await Promise.all(
          readers.map(async ([role, session]) => {
            const seen = await readCase(session, view.id);
            const expected = EXPECTED[status][role] ?? [];
            expect([...seen.allowedActions].sort(), `${role} on ${status}`).to.deep.equal([...expected].sort());
            const refused = CASE_ACTIONS.filter((action) => !seen.allowedActions.includes(action));
            await Promise.all(
              refused.map(async (action) => {
                const res = await act(session, view.id, action, bodyFor(action, seen));
                expect([403, 409], `${role} ${action} on ${status}: ${JSON.stringify(res.body)}`).to.include(
                  res.status,
                );
                expect(['FORBIDDEN', 'INVALID_TRANSITION']).to.include(res.body.code);
              }),
            );
          }),
        );
        await expectUnchanged(view.id, before);
        expectProblem(await world.sessions.siblingOfficer.get(`/api/v1/cases/${view.id}`), 404, 'NOT_FOUND');
        expectProblem(await foreign.sessions.approver.get(`/api/v1/cases/${view.id}`), 404, 'NOT_FOUND');
      });
    }
  });
});
