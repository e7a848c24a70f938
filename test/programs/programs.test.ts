import { randomInt } from 'node:crypto';
import { expect } from 'chai';
import { Program } from '../../src/programs/programs.model.js';
import { arrange, expectProblem, loginAdmin, type Session } from '../support/api.js';
import { memberBody, unique, type ProvinceTree } from '../support/factory.js';
import { programsProvince } from './fixtures.js';
import { expectForbidden, expectValidation } from '../support/problems.js';

interface ProgramJson {
  id: string;
  code: string;
  name: string;
  codePrefix: string;
  active: boolean;
  rules: Record<string, unknown>;
}

/** Case-code prefixes are 2–5 capital letters and unique: a fresh one per program this file creates. */
function uniquePrefix(): string {
  return Array.from({ length: 5 }, () => String.fromCharCode(65 + randomInt(0, 26))).join('');
}

function hardshipProgram(overrides: Record<string, unknown> = {}) {
  return {
    code: unique('emergency_hardship_').toLowerCase(),
    name: 'Trợ cấp khó khăn đột xuất',
    codePrefix: uniquePrefix(),
    rules: {
      maxAmount: { sickness: 5_000_000, accident: 3_000_000 },
      minMembershipMonths: 6,
      frequency: 'once_per_campaign',
      requiredDocuments: { submit: ['application_form', 'hospital_certificate'] },
      requiresVerification: true,
      requiresCampaign: false,
      tranches: [{ label: 'Chi trả một lần', percent: 100 }],
    },
    ...overrides,
  };
}

describe('programs: the catalogue', () => {
  let root: Session;
  let tree: ProvinceTree;

  before(async () => {
    [root, tree] = await Promise.all([loginAdmin(), programsProvince()]);
  });

  it('when anyone signed in lists programs, then the three built-ins come with the defaults of SPEC §4', async () => {
    const res = await tree.sessions.officer.get('/api/v1/programs');
    expect(res.status).to.equal(200);
    const byCode = new Map((res.body.items as ProgramJson[]).map((p) => [p.code, p]));

    const house = byCode.get('union_house')!;
    expect(house).to.include({ codePrefix: 'MAC', active: true, name: 'Mái ấm Công đoàn' });
    expect(house.rules).to.deep.include({
      maxAmount: { new_build: 50_000_000, repair: 25_000_000 },
      minMembershipMonths: 12,
      frequency: 'once_per_member',
      requiresVerification: true,
      requiredDocuments: {
        submit: ['application_form', 'commune_confirmation', 'land_certificate', 'house_photo'],
        verify: ['site_survey_minutes'],
        close: ['handover_minutes'],
      },
    });
    const tranches = house.rules.tranches as { percent: number; requiresDocuments?: string[] }[];
    expect(tranches.map((t) => t.percent)).to.deep.equal([50, 50]);
    expect(tranches[0]!.requiresDocuments ?? []).to.deep.equal([]);
    expect(tranches[1]!.requiresDocuments).to.deep.equal(['handover_minutes']);

    const gift = byCode.get('tet_gift')!;
    expect(gift).to.include({ codePrefix: 'TET', active: true });
    expect(gift.rules).to.deep.include({
      maxAmount: { gift: 1_000_000 },
      minMembershipMonths: 0,
      frequency: 'once_per_campaign',
      requiresCampaign: true,
      tranches: [{ label: 'Chi trả một lần', percent: 100 }],
    });

    const relief = byCode.get('disaster_relief')!;
    expect(relief).to.include({ codePrefix: 'TT', active: true });
    expect(relief.rules).to.deep.include({
      maxAmount: {
        death: 10_000_000,
        house_collapsed: 10_000_000,
        house_damaged: 3_000_000,
        injured: 2_000_000,
        property_loss: 1_000_000,
      },
      minMembershipMonths: 0,
      frequency: 'once_per_campaign',
      tranches: [{ label: 'Chi trả một lần', percent: 100 }],
    });
    for (const program of [gift, relief]) {
      expect(Object.values(program.rules.requiredDocuments as Record<string, string[]>).flat()).to.deep.equal([]);
    }

    const one = await arrange<ProgramJson>(tree.sessions.verifier.get('/api/v1/programs/union_house'), 200);
    expect(one).to.deep.equal(house);
  });

  describe('adding a program', () => {
    it('when the root administrator adds emergency_hardship, then 201, it is stored and a union can open a case of it at once', async () => {
      const body = hardshipProgram();
      const res = await root.post('/api/v1/programs', body);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body).to.deep.include({
        code: body.code,
        codePrefix: body.codePrefix,
        active: true,
        rules: body.rules,
      });

      const stored = await Program.findOne({ code: body.code }).lean();
      expect(stored).to.deep.include({ name: body.name, codePrefix: body.codePrefix, active: true });
      expect(stored?.rules).to.deep.equal(body.rules);
      const list = await arrange<{ items: ProgramJson[] }>(tree.sessions.officer.get('/api/v1/programs'), 200);
      expect(list.items.map((p) => p.code)).to.include(body.code);

      // Programs are data: the case workflow serves the new one without code changes.
      const { officer } = tree.sessions;
      const member = await arrange<{ id: string }>(officer.post('/api/v1/members', memberBody(tree.grassroots.id)));
      const created = await arrange<{ code: string; subtype: string }>(
        officer.post('/api/v1/cases', {
          programCode: body.code,
          subtype: 'sickness',
          memberId: member.id,
          requestedAmount: 5_000_000,
          situation: 'Ốm đau dài ngày',
        }),
      );
      expect(created.code).to.match(new RegExp(`^${body.codePrefix}-\\d{4}-000001$`));
      const overCap = await officer.post('/api/v1/cases', {
        programCode: body.code,
        subtype: 'accident',
        memberId: member.id,
        requestedAmount: 3_000_001,
      });
      expectProblem(overCap, 422, 'AMOUNT_EXCEEDS_CAP');
      const draft = await arrange<{ id: string }>(
        officer.post('/api/v1/cases', {
          programCode: body.code,
          subtype: 'accident',
          memberId: member.id,
          requestedAmount: 1_000_000,
        }),
      );
      const paper = await officer
        .upload(`/api/v1/cases/${draft.id}/documents`)
        .field('type', 'hospital_certificate')
        .attach('file', Buffer.from('%PDF-1.4\n%%EOF\n'), 'giay-ra-vien.pdf');
      expect(paper.status, JSON.stringify(paper.body)).to.equal(201);
    });

    it('when a province administrator or an approver adds a program, then 403 and nothing is stored', async () => {
      for (const session of [tree.sessions.admin, tree.sessions.approver]) {
        const body = hardshipProgram();
        expectForbidden(await session.post('/api/v1/programs', body));
        expect(await Program.exists({ code: body.code })).to.equal(null);
      }
    });

    it('when the code or the case-code prefix is taken, then 409 and the existing program is unchanged', async () => {
      const first = await arrange<ProgramJson>(root.post('/api/v1/programs', hardshipProgram()));
      const sameCode = await root.post(
        '/api/v1/programs',
        hardshipProgram({ code: first.code, name: 'Chương trình khác' }),
      );
      expectProblem(sameCode, 409, 'CONFLICT');
      const samePrefix = hardshipProgram({ codePrefix: first.codePrefix });
      expectProblem(await root.post('/api/v1/programs', samePrefix), 409, 'CONFLICT');
      expect(await Program.exists({ code: samePrefix.code })).to.equal(null);
      const builtinPrefix = hardshipProgram({ codePrefix: 'MAC' });
      expectProblem(await root.post('/api/v1/programs', builtinPrefix), 409, 'CONFLICT');
      expectProblem(await root.post('/api/v1/programs', hardshipProgram({ code: 'union_house' })), 409, 'CONFLICT');
      expect((await Program.findOne({ code: first.code }).lean())?.name).to.equal('Trợ cấp khó khăn đột xuất');
      expect((await Program.findOne({ code: 'union_house' }).lean())?.codePrefix).to.equal('MAC');
    });

    const BAD_RULES: [label: string, change: (rules: Record<string, unknown>) => void, path: string][] = [
      [
        'tranches summing to 90 %',
        (r) => {
          r.tranches = [
            { label: 'Đợt 1', percent: 50 },
            { label: 'Đợt 2', percent: 40 },
          ];
        },
        'rules.tranches',
      ],
      [
        'no subtype with a cap',
        (r) => {
          r.maxAmount = {};
        },
        'rules.maxAmount',
      ],
      [
        'a negative cap',
        (r) => {
          r.maxAmount = { sickness: -1 };
        },
        'rules.maxAmount.sickness',
      ],
      [
        'a fractional cap',
        (r) => {
          r.maxAmount = { sickness: 1_000_000.5 };
        },
        'rules.maxAmount.sickness',
      ],
      [
        'an unknown frequency',
        (r) => {
          r.frequency = 'twice_a_year';
        },
        'rules.frequency',
      ],
      [
        'no frequency',
        (r) => {
          delete r.frequency;
        },
        'rules.frequency',
      ],
      [
        'an unknown stage of required documents',
        (r) => {
          r.requiredDocuments = { payout: ['receipt'] };
        },
        'rules.requiredDocuments.payout',
      ],
      [
        'an unknown rule',
        (r) => {
          r.$where = 'sleep(1000)';
        },
        'rules.$where',
      ],
    ];
    for (const [label, change, path] of BAD_RULES) {
      it(`when the rules have ${label}, then 400 VALIDATION_FAILED on ${path} and nothing is stored`, async () => {
        const body = hardshipProgram();
        change(body.rules as Record<string, unknown>);
        const res = await root.post('/api/v1/programs', body);
        expect(res.status, JSON.stringify(res.body)).to.equal(400);
        expectValidation(res);
        expect(
          (res.body.errors as { path: string }[]).some(
            (e) => e.path.startsWith(path) || e.path.endsWith(path.split('.').at(-1)!),
          ),
          JSON.stringify(res.body.errors),
        ).to.equal(true);
        expect(await Program.exists({ code: body.code })).to.equal(null);
      });
    }

    it('when the code or prefix is malformed, then 400 on each of them at once', async () => {
      const res = await root.post('/api/v1/programs', hardshipProgram({ code: 'Trợ cấp', codePrefix: 'ab1' }));
      expectValidation(res, 'code', 'codePrefix');
    });
  });

  describe('changing a program', () => {
    it('when the root administrator renames and pauses a program, then the change is stored and unions can no longer open cases of it', async () => {
      const program = await arrange<ProgramJson>(root.post('/api/v1/programs', hardshipProgram()));
      const res = await root.patch(`/api/v1/programs/${program.code}`, {
        name: 'Trợ cấp khó khăn đột xuất (đã sửa)',
        active: false,
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.include({
        name: 'Trợ cấp khó khăn đột xuất (đã sửa)',
        active: false,
        codePrefix: program.codePrefix,
      });
      const stored = await Program.findOne({ code: program.code }).lean();
      expect(stored).to.deep.include({ name: 'Trợ cấp khó khăn đột xuất (đã sửa)', active: false });
      expect(stored?.rules).to.deep.equal(program.rules);

      const { officer } = tree.sessions;
      const member = await arrange<{ id: string }>(officer.post('/api/v1/members', memberBody(tree.grassroots.id)));
      const paused = await officer.post('/api/v1/cases', {
        programCode: program.code,
        subtype: 'sickness',
        memberId: member.id,
        requestedAmount: 1_000_000,
      });
      expectProblem(paused, 422, 'NOT_ELIGIBLE');
    });

    it('when a province administrator patches a program, then 403 and it is unchanged', async () => {
      const res = await tree.sessions.admin.patch('/api/v1/programs/union_house', { active: false });
      expectForbidden(res);
      expect((await Program.findOne({ code: 'union_house' }).lean())?.active).to.equal(true);
    });

    it('when the patch is empty, carries the code or names an unknown program, then 400, 400 and 404', async () => {
      expectValidation(await root.patch('/api/v1/programs/union_house', {}));
      expectValidation(await root.patch('/api/v1/programs/union_house', { codePrefix: 'XYZ' }), 'codePrefix');
      expectProblem(await root.patch('/api/v1/programs/no_such_program', { active: true }), 404, 'NOT_FOUND');
    });
  });
});
