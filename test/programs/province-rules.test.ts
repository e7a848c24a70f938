import { expect } from 'chai';
import { BUILTIN_PROGRAMS } from '../../src/programs/builtin-programs.js';
import { forgetPrograms } from '../../src/programs/index.js';
import { Program, ProgramOverride } from '../../src/programs/programs.model.js';
import { api, arrange, expectProblem, loginAdmin, type Session } from '../support/api.js';
import { memberBody, type ProvinceTree } from '../support/factory.js';
import { programsProvince } from './fixtures.js';
import { expectForbidden, expectNotFound, expectValidation } from '../support/problems.js';
import { foreignProvince } from '../support/provinces.js';

interface RulesJson {
  programCode: string;
  provinceId: string | null;
  override?: Record<string, unknown>;
  rules: {
    maxAmount: Record<string, number>;
    minMembershipMonths: number;
    frequency: string;
    tranches: { label: string; percent: number; requiresDocuments?: string[] }[];
    [rule: string]: unknown;
  };
}

const DEFAULTS = BUILTIN_PROGRAMS.find((p) => p.code === 'union_house')!.rules;
const RULES = '/api/v1/programs/union_house/rules';
const OVERRIDE = { maxAmount: { new_build: 40_000_000 }, minMembershipMonths: 24 };

/** The shared session has no PUT; setting rules is the one PUT of the API. */
function put(session: Session, path: string, body: object) {
  return api().put(path).set('Authorization', `Bearer ${session.token}`).send(body);
}

describe('programs: rules set by a province', () => {
  let tree: ProvinceTree;
  let other: ProvinceTree;

  before(async () => {
    [tree, other] = await Promise.all([programsProvince(), foreignProvince()]);
  });

  afterEach(async () => {
    await ProgramOverride.deleteOne({ _id: `union_house:${tree.province.id}` });
    // Written past the service, which keeps the rules it read for a few seconds: it is told, as a write of its own would.
    forgetPrograms();
  });

  async function storedDefaults() {
    return (await Program.findOne({ code: 'union_house' }).lean())?.rules;
  }

  async function newBuildCase(session: Session, grassrootsId: string, requestedAmount: number) {
    const member = await arrange<{ id: string }>(session.post('/api/v1/members', memberBody(grassrootsId)));
    return session.post('/api/v1/cases', {
      programCode: 'union_house',
      subtype: 'new_build',
      memberId: member.id,
      requestedAmount,
    });
  }

  it('when the approver lowers the new-build cap and raises the membership months, then the province sees them merged with the defaults while the program and other provinces keep the defaults', async () => {
    const { approver, officer, verifier } = tree.sessions;
    const res = await put(approver, RULES, { rules: OVERRIDE });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const set = res.body as RulesJson;
    expect(set).to.deep.include({ programCode: 'union_house', provinceId: tree.province.id, override: OVERRIDE });
    expect(set.rules.maxAmount).to.deep.equal({ new_build: 40_000_000, repair: 25_000_000 });
    expect(set.rules.minMembershipMonths).to.equal(24);

    const stored = await ProgramOverride.findById(`union_house:${tree.province.id}`).lean();
    expect(stored?.rules).to.deep.equal(OVERRIDE);
    expect(String(stored?.orgId)).to.equal(tree.province.id);
    expect(stored?.updatedBy).to.deep.include({ id: approver.user.id });
    expect(await storedDefaults()).to.deep.equal(DEFAULTS);

    // Everyone of the province, whatever their level, reads the rules in force for it.
    for (const session of [approver, verifier, officer]) {
      const read = await arrange<RulesJson>(session.get(RULES), 200);
      expect(read.provinceId).to.equal(tree.province.id);
      expect(read.rules).to.deep.equal({
        ...DEFAULTS,
        maxAmount: { new_build: 40_000_000, repair: 25_000_000 },
        minMembershipMonths: 24,
      });
    }

    const elsewhere = await arrange<RulesJson>(other.sessions.officer.get(RULES), 200);
    expect(elsewhere.provinceId).to.equal(other.province.id);
    expect(elsewhere.rules).to.deep.equal(DEFAULTS);
    const national = await arrange<RulesJson>((await loginAdmin()).get(`${RULES}?orgId=${tree.grassroots.id}`), 200);
    expect(national.rules.maxAmount.new_build).to.equal(40_000_000);

    // The cap in force is the one the workflow applies.
    expectProblem(await newBuildCase(officer, tree.grassroots.id, 45_000_000), 422, 'AMOUNT_EXCEEDS_CAP');
    expect((await newBuildCase(officer, tree.grassroots.id, 40_000_000)).status).to.equal(201);
    expect((await newBuildCase(other.sessions.officer, other.grassroots.id, 45_000_000)).status).to.equal(201);
  });

  it('when the approver sets rules again, then the new override replaces the old one whole', async () => {
    const { approver } = tree.sessions;
    await arrange(put(approver, RULES, { rules: OVERRIDE }), 200);
    const res = await arrange<RulesJson>(put(approver, RULES, { rules: { requiresVerification: false } }), 200);
    expect(res.rules).to.deep.equal({ ...DEFAULTS, requiresVerification: false });
  });

  it('when the approver removes the override, then the province is back on the defaults', async () => {
    const { approver, officer } = tree.sessions;
    await arrange(put(approver, RULES, { rules: OVERRIDE }), 200);
    const res = await approver.delete(RULES);
    expect(res.status, JSON.stringify(res.body)).to.equal(204);
    expect(await ProgramOverride.exists({ _id: `union_house:${tree.province.id}` })).to.equal(null);
    expect((await arrange<RulesJson>(officer.get(RULES), 200)).rules).to.deep.equal(DEFAULTS);
  });

  describe('what a province may not set', () => {
    const BAD: [label: string, rules: Record<string, unknown>, path: string][] = [
      ['a subtype the program does not have', { maxAmount: { mansion: 90_000_000 } }, 'rules.maxAmount.mansion'],
      [
        'tranches that do not sum to 100 %',
        {
          tranches: [
            { label: 'Khởi công', percent: 60 },
            { label: 'Hoàn thành', percent: 30 },
          ],
        },
        'rules.tranches',
      ],
      ['the frequency, a national rule', { frequency: 'once_per_campaign' }, 'rules.frequency'],
      ['whether a campaign is needed, a national rule', { requiresCampaign: true }, 'rules.requiresCampaign'],
      ['a negative membership', { minMembershipMonths: -1 }, 'rules.minMembershipMonths'],
      ['nothing at all', {}, 'rules'],
    ];
    for (const [label, rules, path] of BAD) {
      it(`when the override has ${label}, then 400 VALIDATION_FAILED on ${path} and nothing is stored`, async () => {
        const res = await put(tree.sessions.approver, RULES, { rules });
        expectValidation(res, path);
        expect(await ProgramOverride.exists({ _id: `union_house:${tree.province.id}` })).to.equal(null);
      });
    }

    it('when the override names a grassroots union instead of a province, then 400 on orgId', async () => {
      expectValidation(
        await put(tree.sessions.approver, RULES, { orgId: tree.grassroots.id, rules: OVERRIDE }),
        'orgId',
      );
    });

    it('when the program does not exist, then 404', async () => {
      expectNotFound(await put(tree.sessions.approver, '/api/v1/programs/no_such_program/rules', { rules: OVERRIDE }));
    });
  });

  describe('who may set them', () => {
    it('when the approver of another province sets or removes rules for this one, then 404 and nothing changes', async () => {
      await arrange(put(tree.sessions.approver, RULES, { rules: OVERRIDE }), 200);
      expectNotFound(
        await put(other.sessions.approver, RULES, { orgId: tree.province.id, rules: { minMembershipMonths: 0 } }),
      );
      expectNotFound(await other.sessions.approver.delete(`${RULES}?orgId=${tree.province.id}`));
      expectNotFound(await other.sessions.officer.get(`${RULES}?orgId=${tree.province.id}`));
      expect((await ProgramOverride.findById(`union_house:${tree.province.id}`).lean())?.rules).to.deep.equal(OVERRIDE);
    });

    it('when a verifier, an officer, an accountant or an administrator of the province sets or removes rules, then 403', async () => {
      const { verifier, officer, accountant, admin } = tree.sessions;
      for (const session of [verifier, officer, accountant, admin]) {
        expectForbidden(await put(session, RULES, { rules: OVERRIDE }));
        expectForbidden(await session.delete(RULES));
      }
      expect(await ProgramOverride.exists({ _id: `union_house:${tree.province.id}` })).to.equal(null);
    });
  });
});
