/**
 * Bad input on the case endpoints (SPEC §10): unknown fields are refused, no client field sets status,
 * history or amounts it does not own, `$` keys never pass, types and ids are checked, list limits hold.
 * Every refusal stores nothing.
 */
import { expect } from 'chai';
import { expectProblem } from '../support/api.js';
import { expectForbidden, expectNotFound, expectValidation, unknownId } from '../support/problems.js';
import { Case } from '../../src/cases/cases.model.js';
import {
  act,
  caseAt,
  caseBody,
  caseWorld,
  createMember,
  expectUnchanged,
  stateOf,
  type CaseView,
  type CaseWorld,
  type Member,
} from './case-fixtures.js';

describe('cases: bad input', function () {
  this.timeout(30_000);
  let world: CaseWorld;
  let member: Member;

  before(async () => {
    world = await caseWorld();
    member = await createMember(world.sessions.officer, world.grassroots.id);
  });

  async function expectNothingStored(): Promise<void> {
    expect(await Case.countDocuments({ memberId: member.id }), 'no case was stored').to.equal(0);
  }

  function create(body: Record<string, unknown>) {
    return world.sessions.officer.post('/api/v1/cases', body);
  }

  describe('POST /cases', () => {
    it('when the body has an unknown field, then 400 naming it', async () => {
      expectValidation(await create({ ...caseBody(world, 'tet_gift', member.id), priority: 'high' }), 'priority');
      await expectNothingStored();
    });

    const owned: [string, unknown][] = [
      ['status', 'approved'],
      ['history', []],
      ['approvedAmount', 1_000_000],
      ['recommendedAmount', 1_000_000],
      ['disbursedAmount', 0],
      ['revision', 7],
      ['code', 'TET-2026-000001'],
      ['orgId', unknownId()],
      ['decisionId', unknownId()],
      ['memberSnapshot', { fullName: 'Giả mạo' }],
      ['verifiedBy', { id: 'x', name: 'y' }],
    ];
    for (const [field, value] of owned) {
      it(`when the body sets ${field}, which the client does not own, then 400 on ${field} and nothing is stored`, async () => {
        expectValidation(await create({ ...caseBody(world, 'tet_gift', member.id), [field]: value }), field);
        await expectNothingStored();
      });
    }

    it('when any key starts with $ or holds a dot (top level, in details, as an operator on memberId), then 400', async () => {
      const body = caseBody(world, 'tet_gift', member.id);
      expectProblem(await create({ ...body, $set: { status: 'approved' } }), 400, 'VALIDATION_FAILED');
      expectProblem(await create({ ...body, details: { $where: 'sleep(1000)' } }), 400, 'VALIDATION_FAILED');
      expectProblem(await create({ ...body, details: { 'a.b': 1 } }), 400, 'VALIDATION_FAILED');
      expectProblem(await create({ ...body, memberId: { $ne: null } }), 400, 'VALIDATION_FAILED');
      await expectNothingStored();
    });

    const wrongTypes: [string, unknown, string?][] = [
      ['requestedAmount', 'một triệu'],
      ['requestedAmount', 1.5],
      ['requestedAmount', 0],
      ['requestedAmount', -500_000],
      ['requestedAmount', 1e12],
      ['programCode', 42],
      ['programCode', 'Union House'],
      ['situation', { text: 'x' }],
      ['details', 'nhà dột'],
      ['details', { nested: { deep: 1 } }, 'details.nested'],
      ['subtype', ['gift']],
    ];
    for (const [field, value, path = field] of wrongTypes) {
      it(`when ${field} is ${JSON.stringify(value)}, then 400 on ${path}`, async () => {
        expectValidation(await create({ ...caseBody(world, 'tet_gift', member.id), [field]: value }), path);
        await expectNothingStored();
      });
    }

    it('when memberId or campaignId is not an id, then 400 on that field; when required fields are missing, then 400 on each', async () => {
      const body = caseBody(world, 'tet_gift', member.id);
      expectValidation(await create({ ...body, memberId: 'abc' }), 'memberId');
      expectValidation(await create({ ...body, campaignId: 'xyz' }), 'campaignId');
      expectValidation(await create({ situation: 'Thiếu mọi thứ' }), 'programCode', 'memberId', 'requestedAmount');
      await expectNothingStored();
    });

    it("when the program does not exist, then 400 on programCode; when the member does not exist or is the sibling union's, then 404", async () => {
      const body = caseBody(world, 'tet_gift', member.id);
      expectValidation(await create({ ...body, programCode: 'no_such_program' }), 'programCode');
      expectNotFound(await create({ ...body, memberId: unknownId() }));
      const theirs = await createMember(world.sessions.siblingOfficer, world.sibling.id);
      expectNotFound(await create(caseBody(world, 'tet_gift', theirs.id)));
      expect(await Case.countDocuments({ memberId: theirs.id })).to.equal(0);
      await expectNothingStored();
    });

    it('when a user without the officer role creates a case, then 403', async () => {
      for (const session of [world.sessions.verifier, world.sessions.approver, world.sessions.admin]) {
        expectForbidden(await session.post('/api/v1/cases', caseBody(world, 'tet_gift', member.id)));
      }
      await expectNothingStored();
    });
  });

  describe('ids in paths', () => {
    it('when the case id is not an ObjectId, then reads, edits and actions answer 400 on id', async () => {
      expectValidation(await world.sessions.officer.get('/api/v1/cases/not-an-id'), 'id');
      expectValidation(await world.sessions.officer.patch('/api/v1/cases/123', { revision: 1, situation: 'x' }), 'id');
      expectValidation(
        await world.sessions.officer.post('/api/v1/cases/zzzzzzzzzzzzzzzzzzzzzzzz/submit', { revision: 1 }),
        'id',
      );
    });

    it('when the case id is well formed but unknown, then 404', async () => {
      expectNotFound(await world.sessions.officer.get(`/api/v1/cases/${unknownId()}`));
    });
  });

  describe('action bodies', () => {
    let submitted: CaseView;
    before(async () => {
      submitted = await caseAt(world, 'submitted');
    });

    const bad: [string, Record<string, unknown>, string][] = [
      ['an unknown field', { recommendedAmount: 900_000, approvedAmount: 900_000 }, 'approvedAmount'],
      ['status', { recommendedAmount: 900_000, status: 'approved' }, 'status'],
      ['a missing recommendedAmount', {}, 'recommendedAmount'],
      ['a text recommendedAmount', { recommendedAmount: 'chín trăm nghìn' }, 'recommendedAmount'],
      ['a fractional recommendedAmount', { recommendedAmount: 900_000.5 }, 'recommendedAmount'],
      ['a text revision', { recommendedAmount: 900_000, revision: 'hai' }, 'revision'],
      ['revision 0', { recommendedAmount: 900_000, revision: 0 }, 'revision'],
    ];
    for (const [what, body, path] of bad) {
      it(`when verify carries ${what}, then 400 on ${path} and nothing changes`, async () => {
        const before = await stateOf(submitted.id);
        expectValidation(
          await act(world.sessions.verifier, submitted.id, 'verify', { revision: submitted.revision, ...body }),
          path,
        );
        await expectUnchanged(submitted.id, before);
      });
    }

    it('when an action body carries a $ key, then 400 and nothing changes', async () => {
      const before = await stateOf(submitted.id);
      expectProblem(
        await act(world.sessions.verifier, submitted.id, 'return', {
          revision: submitted.revision,
          reason: 'Lý do hợp lệ',
          $inc: { revision: 1 },
        }),
        400,
        'VALIDATION_FAILED',
      );
      await expectUnchanged(submitted.id, before);
    });
  });

  describe('PATCH /cases/:id', () => {
    let draft: CaseView;
    before(async () => {
      draft = await caseAt(world, 'draft');
    });

    for (const [field, value] of [
      ['status', 'approved'],
      ['history', []],
      ['approvedAmount', 500_000],
      ['programCode', 'union_house'],
      ['code', 'X'],
    ] as const) {
      it(`when an edit sets ${field}, then 400 on ${field} and nothing changes`, async () => {
        const before = await stateOf(draft.id);
        expectValidation(
          await world.sessions.officer.patch(`/api/v1/cases/${draft.id}`, { revision: draft.revision, [field]: value }),
          field,
        );
        await expectUnchanged(draft.id, before);
      });
    }

    it('when an edit carries only the revision (or nothing), then 400 and neither revision nor history moves', async () => {
      const before = await stateOf(draft.id);
      expectValidation(
        await world.sessions.officer.patch(`/api/v1/cases/${draft.id}`, { revision: draft.revision }),
        'body',
      );
      expectValidation(
        await world.sessions.officer.patch(`/api/v1/cases/${draft.id}`, {}).set('If-Match', `"${draft.revision}"`),
        'body',
      );
      await expectUnchanged(draft.id, before);
    });

    it('when an edit comes with the revision only in If-Match, then it is applied', async () => {
      const own = await caseAt(world, 'draft');
      const res = await world.sessions.officer
        .patch(`/api/v1/cases/${own.id}`, { requestedAmount: 800_000 })
        .set('If-Match', `"${own.revision}"`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.include({ requestedAmount: 800_000, revision: own.revision + 1 });
    });

    it('when a submitted case is edited, then 409 INVALID_TRANSITION; when a verifier edits, then 403', async () => {
      const submitted = await caseAt(world, 'submitted');
      const before = await stateOf(submitted.id);
      expectProblem(
        await world.sessions.officer.patch(`/api/v1/cases/${submitted.id}`, {
          revision: submitted.revision,
          situation: 'Sửa sau khi gửi',
        }),
        409,
        'INVALID_TRANSITION',
      );
      expectForbidden(
        await world.sessions.verifier.patch(`/api/v1/cases/${submitted.id}`, {
          revision: submitted.revision,
          situation: 'Sửa',
        }),
      );
      await expectUnchanged(submitted.id, before);
    });
  });

  describe('GET /cases query', () => {
    const queries: [string, string][] = [
      ['limit=101', 'limit'],
      ['limit=0', 'limit'],
      ['page=0', 'page'],
      ['limit=abc', 'limit'],
      ['colour=red', 'colour'],
      ['status=unknown', 'status'],
      ['orgId=123', 'orgId'],
      ['campaignId=xyz', 'campaignId'],
      ['from=11/03/2025', 'from'],
      ['programCode=Union%20House', 'programCode'],
    ];
    for (const [query, path] of queries) {
      it(`when the list is asked with ${query}, then 400 on ${path}`, async () => {
        expectValidation(await world.sessions.approver.get(`/api/v1/cases?${query}`), path);
      });
    }

    it('when the query smuggles an operator (q[$ne], status[$in]), then 400', async () => {
      expectProblem(await world.sessions.approver.get('/api/v1/cases?q[$ne]=x'), 400, 'VALIDATION_FAILED');
      expectProblem(await world.sessions.approver.get('/api/v1/cases?status[$in]=draft'), 400, 'VALIDATION_FAILED');
    });

    it('when limit is exactly 100, then the list answers', async () => {
      await world.sessions.approver.get('/api/v1/cases?limit=100').expect(200);
    });
  });
});
