import { expect } from 'chai';
import { AuditEntry } from '../../src/audit/audit.model.js';
import { Member } from '../../src/members/members.model.js';
import { arrange, type Session } from '../support/api.js';
import { createProvinceTree, memberBody, type ProvinceTree } from '../support/factory.js';
import { expectForbidden, expectNotFound, unknownId } from '../support/problems.js';
import { foreignProvince } from '../support/provinces.js';

interface MemberJson {
  id: string;
  orgId: string;
  orgPath: string[];
  citizenId: string;
}

type Caller = keyof ProvinceTree['sessions'];
type Place = 'grassroots' | 'sibling' | 'otherProvince';

/** Who may see a member of each place (province A's grassroots, its sibling, and province B's grassroots). */
const SEES: Record<Caller, Place[]> = {
  admin: ['grassroots', 'sibling'],
  approver: ['grassroots', 'sibling'],
  accountant: ['grassroots', 'sibling'],
  upperAdmin: ['grassroots', 'sibling'],
  verifier: ['grassroots', 'sibling'],
  officer: ['grassroots'],
  siblingOfficer: ['sibling'],
};
const EDITORS: Caller[] = ['admin', 'approver', 'upperAdmin', 'verifier', 'officer', 'siblingOfficer'];

async function storedMember(id: string) {
  return Member.findById(id).lean();
}

describe('members: scope', () => {
  let a: ProvinceTree;
  let b: ProvinceTree;
  let members: Record<Place, MemberJson>;

  before(async () => {
    [a, b] = await Promise.all([createProvinceTree(), foreignProvince()]);
    const [grassroots, sibling, otherProvince] = await Promise.all([
      arrange<MemberJson>(a.sessions.officer.post('/api/v1/members', memberBody(a.grassroots.id))),
      arrange<MemberJson>(a.sessions.siblingOfficer.post('/api/v1/members', memberBody(a.sibling.id))),
      arrange<MemberJson>(b.sessions.officer.post('/api/v1/members', memberBody(b.grassroots.id))),
    ]);
    members = { grassroots, sibling, otherProvince };
  });

  it('when each role reads each member, then members of its subtree answer 200 with full data and others 404 without an audit entry', async () => {
    const pairs = (Object.keys(SEES) as Caller[]).flatMap((caller) =>
      (Object.keys(members) as Place[]).map((place) => [caller, place] as const),
    );
    const auditBefore = await AuditEntry.countDocuments({
      action: 'member.read_personal_data',
      entityId: { $in: Object.values(members).map((m) => m.id) },
    });
    const answers = await Promise.all(
      pairs.map(([caller, place]) => a.sessions[caller].get(`/api/v1/members/${members[place].id}`)),
    );
    let allowed = 0;
    pairs.forEach(([caller, place], i) => {
      const res = answers[i]!;
      if (SEES[caller].includes(place)) {
        allowed += 1;
        expect(res.status, `${caller} → ${place}`).to.equal(200);
        expect(res.body.citizenId).to.equal(members[place].citizenId);
      } else {
        expect(res.status, `${caller} → ${place}: ${JSON.stringify(res.body)}`).to.equal(404);
        expectNotFound(res);
      }
    });
    // One audit entry per successful read, none for the refused ones.
    const auditAfter = await AuditEntry.countDocuments({
      action: 'member.read_personal_data',
      entityId: { $in: Object.values(members).map((m) => m.id) },
    });
    expect(auditAfter - auditBefore).to.equal(allowed);
  });

  it('when each role lists members, then only members of its subtree come back', async () => {
    await Promise.all(
      (Object.keys(SEES) as Caller[]).map(async (caller) => {
        const session = a.sessions[caller];
        const res = await session.get('/api/v1/members?limit=100');
        expect(res.status).to.equal(200);
        const expected = await Member.find({ orgPath: session.user.orgId }).lean();
        expect(
          res.body.items.map((m: MemberJson) => m.id),
          caller,
        ).to.have.members(expected.map((m) => String(m._id)));
        expect(res.body.total).to.equal(expected.length);
        for (const place of ['grassroots', 'sibling', 'otherProvince'] as Place[]) {
          const listed = res.body.items.some((m: MemberJson) => m.id === members[place].id);
          expect(listed, `${caller} lists ${place}`).to.equal(SEES[caller].includes(place));
        }
      }),
    );
  });

  it("when a list is filtered by an org outside the subtree, then it is empty, not that org's members", async () => {
    const answers = await Promise.all([
      a.sessions.admin.get(`/api/v1/members?orgId=${b.grassroots.id}`),
      a.sessions.officer.get(`/api/v1/members?orgId=${a.sibling.id}`),
      a.sessions.officer.get(`/api/v1/members?q=${members.sibling.citizenId}`),
      a.sessions.admin.get(`/api/v1/members?q=${members.otherProvince.citizenId}`),
    ]);
    answers.forEach((res, i) => {
      expect(res.status).to.equal(200);
      expect(res.body, `query ${i}: ${JSON.stringify(res.body)}`).to.deep.include({ total: 0, items: [] });
    });
    // An ancestor as filter narrows nothing beyond the caller's own subtree.
    const byAncestor = await a.sessions.officer.get(`/api/v1/members?orgId=${a.upper.id}&limit=100`);
    expect(byAncestor.status).to.equal(200);
    for (const member of byAncestor.body.items as MemberJson[]) expect(member.orgId).to.equal(a.grassroots.id);
    expect(byAncestor.body.items.map((m: MemberJson) => m.id)).to.include(members.grassroots.id);
  });

  it('when an editor changes a member outside its subtree, then 404 and the member is unchanged', async () => {
    const attempts: [Caller, Place][] = EDITORS.flatMap((caller) =>
      (Object.keys(members) as Place[])
        .filter((place) => !SEES[caller].includes(place))
        .map((place) => [caller, place] as [Caller, Place]),
    );
    expect(attempts).to.have.length(8);
    const before = await Promise.all(Object.values(members).map((m) => storedMember(m.id)));
    const answers = await Promise.all(
      attempts.map(([caller, place]) =>
        a.sessions[caller].patch(`/api/v1/members/${members[place].id}`, { phone: '0987654321', bankAccount: null }),
      ),
    );
    answers.forEach(expectNotFound);
    expect(await Promise.all(Object.values(members).map((m) => storedMember(m.id)))).to.deep.equal(before);
  });

  it('when an editor creates a member in a grassroots union outside its subtree, then 404 and nothing is stored', async () => {
    const attempts: [Session, string][] = [
      [a.sessions.officer, a.sibling.id],
      [a.sessions.officer, b.grassroots.id],
      [a.sessions.verifier, b.grassroots.id],
      [a.sessions.approver, b.grassroots.id],
      [a.sessions.admin, b.sibling.id],
      [a.sessions.admin, unknownId()],
    ];
    const bodies = attempts.map(([, orgId]) => memberBody(orgId));
    const answers = await Promise.all(attempts.map(([session], i) => session.post('/api/v1/members', bodies[i])));
    answers.forEach(expectNotFound);
    expect(await Member.countDocuments({ citizenId: { $in: bodies.map((m) => m.citizenId) } })).to.equal(0);
  });

  it('when an editor moves a member of its subtree to a grassroots union outside it, then 404 and the member stays', async () => {
    const before = await storedMember(members.grassroots.id);
    const answers = await Promise.all([
      a.sessions.officer.patch(`/api/v1/members/${members.grassroots.id}`, { orgId: a.sibling.id }),
      a.sessions.verifier.patch(`/api/v1/members/${members.grassroots.id}`, { orgId: b.grassroots.id }),
      a.sessions.admin.patch(`/api/v1/members/${members.grassroots.id}`, { orgId: b.sibling.id, phone: '0911111111' }),
      a.sessions.admin.patch(`/api/v1/members/${members.grassroots.id}`, { orgId: unknownId() }),
    ]);
    answers.forEach(expectNotFound);
    expect(await storedMember(members.grassroots.id)).to.deep.equal(before);
  });

  it('when a verifier moves a member between grassroots unions of its subtree, then orgId and orgPath follow', async () => {
    const member = await arrange<MemberJson>(a.sessions.officer.post('/api/v1/members', memberBody(a.grassroots.id)));
    const res = await a.sessions.verifier.patch(`/api/v1/members/${member.id}`, { orgId: a.sibling.id });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ orgId: a.sibling.id });
    expect(res.body.orgPath).to.deep.equal(a.sibling.orgPath);
    const stored = await storedMember(member.id);
    expect(String(stored?.orgId)).to.equal(a.sibling.id);
    expect(stored?.orgPath.map(String)).to.deep.equal(a.sibling.orgPath);
    // The officer of the old union no longer sees the member; the new union's officer does.
    expectNotFound(await a.sessions.officer.get(`/api/v1/members/${member.id}`));
    expect((await a.sessions.siblingOfficer.get(`/api/v1/members/${member.id}`)).status).to.equal(200);
  });

  it('when an accountant creates or edits a member of its own subtree, then 403 and nothing changes', async () => {
    const body = memberBody(a.grassroots.id);
    const before = await storedMember(members.grassroots.id);
    const answers = await Promise.all([
      a.sessions.accountant.post('/api/v1/members', body),
      a.sessions.accountant.patch(`/api/v1/members/${members.grassroots.id}`, { phone: '0900000000' }),
    ]);
    answers.forEach(expectForbidden);
    expect(await Member.countDocuments({ citizenId: body.citizenId })).to.equal(0);
    expect(await storedMember(members.grassroots.id)).to.deep.equal(before);
  });

  it('when a member id does not exist, then reading and editing answer the same 404 as outside scope', async () => {
    const [missingRead, missingEdit, foreignRead] = await Promise.all([
      a.sessions.admin.get(`/api/v1/members/${unknownId()}`),
      a.sessions.admin.patch(`/api/v1/members/${unknownId()}`, { phone: '0912345678' }),
      a.sessions.admin.get(`/api/v1/members/${members.otherProvince.id}`),
    ]);
    [missingRead, missingEdit, foreignRead].forEach(expectNotFound);
    expect(foreignRead.body.detail).to.equal(missingRead.body.detail);
  });
});
