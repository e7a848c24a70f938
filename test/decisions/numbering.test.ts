/**
 * Decision numbers (SPEC §6): `N/QĐ-LĐLĐ`, one sequence per issuing province and calendar year, with no
 * gaps and no reuse, also under concurrent approvals and when issuing is interrupted.
 */
import { expect } from 'chai';
import { arrange } from '../support/api.js';
import { AuditEntry } from '../../src/audit/audit.model.js';
import { Case } from '../../src/cases/cases.model.js';
import { vnYear } from '../../src/core/shared/dates.js';
import { Decision } from '../../src/decisions/decisions.model.js';
import { decisionSettings } from '../../src/decisions/decisions.settings.js';
import { act, bodyFor, caseAt, caseWorld, readCase, type CaseWorld } from '../cases/case-fixtures.js';
import { approvedCase, decisionOf, downloadPdf, sha256, type DecisionView } from './decision-fixtures.js';

async function sequencesOf(provinceId: string, year: number): Promise<number[]> {
  const decisions = await Decision.find({ issuerOrgId: provinceId, year }, { sequence: 1 }).lean();
  return decisions.map((d) => d.sequence).sort((a, b) => a - b);
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('decisions: numbering', () => {
  let world: CaseWorld;

  before(async () => {
    world = await caseWorld();
  });

  it('when ten cases of one province are approved at once, then their decisions are numbered 1 to 10 of the year, no number twice and none skipped', async function () {
    this.timeout(120_000);
    const cases = await Promise.all(range(10).map(() => caseAt(world, 'verified')));
    const results = await Promise.all(
      cases.map((view) => act(world.sessions.approver, view.id, 'approve', bodyFor('approve', view))),
    );
    for (const res of results) expect(res.status, JSON.stringify(res.body)).to.equal(200);

    const year = vnYear();
    expect(await sequencesOf(world.province.id, year)).to.deep.equal(range(10));
    const decisions = await Promise.all(cases.map((view) => decisionOf(world.sessions.approver, view)));
    expect(decisions.map((d) => d.number).sort()).to.deep.equal(
      range(10)
        .map((n) => `${n}/QĐ-LĐLĐ`)
        .sort(),
    );
    expect(new Set(decisions.map((d) => d.id)).size, 'one decision per case').to.equal(10);
    decisions.forEach((decision, i) => {
      expect(decision.caseIds).to.deep.equal([cases[i]!.id]);
      expect(decision.year).to.equal(year);
      expect(decision.pdf?.sha256).to.match(/^[0-9a-f]{64}$/);
    });
  });

  it('when another province approves, then its numbers start at 1 of its own', async () => {
    const other = await caseWorld();
    const decision = await decisionOf(other.sessions.approver, await approvedCase(other));
    expect(decision.number).to.equal('1/QĐ-LĐLĐ');
    expect(decision.issuerOrgId).to.equal(other.province.id);
  });

  it('when a decision is dated in an earlier year, then it takes the next number of that year', async () => {
    const lastYear = vnYear() - 1;
    const before = await sequencesOf(world.province.id, lastYear);
    const decision = await decisionOf(
      world.sessions.approver,
      await approvedCase(world, 'tet_gift', { decisionDate: `${lastYear}-12-30` }),
    );
    expect(decision).to.include({ year: lastYear, issuedAt: `${lastYear}-12-30`, sequence: before.length + 1 });
    expect(await sequencesOf(world.province.id, lastYear)).to.deep.equal(range(before.length + 1));
  });

  describe('when issuing fails after the approval', () => {
    const templates = () => decisionSettings().templates;
    let original: ReturnType<typeof templates>['forProgram'];

    beforeEach(() => {
      original = templates().forProgram;
      templates().forProgram = () => {
        throw new Error('template store unavailable (test)');
      };
    });
    afterEach(() => {
      templates().forProgram = original;
    });

    it('then the approval stands without a decision, no number is used, and POST /cases/:id/decision issues it once with the next number', async () => {
      const year = vnYear();
      const approved = await approvedCase(world);
      expect(approved.status).to.equal('approved');
      expect((await Case.findById(approved.id).lean())?.decisionId).to.equal(null);
      expect(await AuditEntry.countDocuments({ action: 'decision.issue_failed', entityId: approved.id })).to.equal(1);
      const used = await sequencesOf(world.province.id, year);
      expect(used).to.deep.equal(range(used.length));

      templates().forProgram = original;
      const issued = await arrange<DecisionView>(
        world.sessions.approver.post(`/api/v1/cases/${approved.id}/decision`, {}),
        201,
      );
      expect(issued.sequence).to.equal(used.length + 1);
      expect(issued.caseIds).to.deep.equal([approved.id]);
      const again = await arrange<DecisionView>(
        world.sessions.approver.post(`/api/v1/cases/${approved.id}/decision`, {}),
        200,
      );
      expect(again.id).to.equal(issued.id);
      expect(String((await Case.findById(approved.id).lean())?.decisionId)).to.equal(issued.id);
      expect(await sequencesOf(world.province.id, year)).to.deep.equal(range(used.length + 1));
    });
  });

  it('when the process died after the decision was stored but before its PDF and the case link, then reading completes it with the same bytes and the number is kept', async () => {
    const approved = await approvedCase(world);
    const decision = await decisionOf(world.sessions.approver, approved);
    const { bytes } = await downloadPdf(world.sessions.approver, decision.id);
    // What an interrupted issue leaves: the numbered decision, no PDF yet, a case that does not point at it.
    await Decision.updateOne({ _id: decision.id }, { $set: { pdf: null } });
    await Case.updateOne({ _id: approved.id }, { $set: { decisionId: null } });

    const settled = await arrange<DecisionView>(
      world.sessions.approver.post(`/api/v1/cases/${approved.id}/decision`, {}),
      200,
    );
    expect(settled).to.include({ id: decision.id, number: decision.number });
    expect(settled.pdf?.sha256).to.equal(sha256(bytes));
    expect(
      ((await readCase(world.sessions.approver, approved.id)) as unknown as { decisionId: string }).decisionId,
    ).to.equal(decision.id);
  });

  it('when two repairs of the same case race, then one decision exists for it', async () => {
    const approved = await approvedCase(world);
    const decision = await decisionOf(world.sessions.approver, approved);
    await Decision.deleteOne({ _id: decision.id });
    await Case.updateOne({ _id: approved.id }, { $set: { decisionId: null } });
    const results = await Promise.all(
      [1, 2, 3].map(() => world.sessions.approver.post(`/api/v1/cases/${approved.id}/decision`, {})),
    );
    const ids = new Set(
      results.map((res) => {
        expect(res.status, JSON.stringify(res.body)).to.be.oneOf([200, 201]);
        return res.body.id as string;
      }),
    );
    expect(ids.size).to.equal(1);
    expect(await Decision.countDocuments({ caseIds: approved.id })).to.equal(1);
  });
});
