import { expect } from 'chai';
import { AuditEntry } from '../../src/audit/index.js';
import { CitizenIdProbe } from '../../src/members/citizen-id-probes.js';
import { arrange, expectProblem } from '../support/api.js';
import { createProvinceTree, memberBody, uniqueCitizenId, type ProvinceTree } from '../support/factory.js';
import { foreignProvince } from '../support/provinces.js';

const ACTION = 'member.citizen_id_conflict_outside_scope';

describe('members: CCCD conflicts that reveal a member elsewhere', () => {
  let tree: ProvinceTree;
  let other: ProvinceTree;

  before(async () => {
    [tree, other] = await Promise.all([createProvinceTree(), foreignProvince()]);
  });

  it("when a CCCD of another province's member is sent twice, then each answers the same 409, and each is counted for the caller and audited with the CCCD masked", async () => {
    const elsewhere = [uniqueCitizenId(), uniqueCitizenId()];
    for (const citizenId of elsewhere) {
      await arrange(other.sessions.officer.post('/api/v1/members', memberBody(other.grassroots.id, { citizenId })));
    }
    const officer = tree.sessions.officer;

    const answers = [];
    for (const citizenId of elsewhere)
      answers.push(await officer.post('/api/v1/members', memberBody(tree.grassroots.id, { citizenId })));

    for (const res of answers) {
      expectProblem(res, 409, 'CONFLICT');
      expect(res.body.detail).to.match(/^Số CCCD đã có trong hệ thống/);
    }
    expect((await CitizenIdProbe.findById(officer.user.id).lean())!.count).to.equal(2);
    const audits = await AuditEntry.find({ action: ACTION, entityId: officer.user.id }).sort({ at: 1 }).lean();
    expect(audits.map((a) => a.actorId)).to.deep.equal([officer.user.id, officer.user.id]);
    expect(audits.map((a) => (a.details as { conflictsByUser: number }).conflictsByUser)).to.deep.equal([1, 2]);
    expect(audits.map((a) => (a.details as { citizenId: string }).citizenId)).to.deep.equal(
      elsewhere.map((c) => `********${c.slice(-4)}`),
    );
    for (const citizenId of elsewhere) expect(JSON.stringify(audits)).to.not.include(citizenId);
  });

  it("when a member is edited to a CCCD of another province's member, then it is counted and audited too", async () => {
    const citizenId = uniqueCitizenId();
    await arrange(other.sessions.officer.post('/api/v1/members', memberBody(other.grassroots.id, { citizenId })));
    const officer = tree.sessions.siblingOfficer;
    const mine = await arrange<{ id: string }>(officer.post('/api/v1/members', memberBody(tree.sibling.id)));

    expectProblem(await officer.patch(`/api/v1/members/${mine.id}`, { citizenId }), 409, 'CONFLICT');

    expect((await CitizenIdProbe.findById(officer.user.id).lean())!.count).to.equal(1);
    expect(await AuditEntry.countDocuments({ action: ACTION, entityId: officer.user.id })).to.equal(1);
  });

  it("when the CCCD belongs to a member inside the caller's own subtree, then the 409 is neither counted nor audited", async () => {
    const citizenId = uniqueCitizenId();
    await arrange(tree.sessions.officer.post('/api/v1/members', memberBody(tree.grassroots.id, { citizenId })));
    const admin = tree.sessions.admin;

    expectProblem(await admin.post('/api/v1/members', memberBody(tree.sibling.id, { citizenId })), 409, 'CONFLICT');

    expect(await CitizenIdProbe.findById(admin.user.id).lean()).to.equal(null);
    expect(await AuditEntry.countDocuments({ action: ACTION, entityId: admin.user.id })).to.equal(0);
  });
});
