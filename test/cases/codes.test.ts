/**
 * Case codes (SPEC §5): `MAC-2026-000123` for union_house, `TET-…`, `TT-…`; one sequence per program and
 * year, never reused, also when many cases are created at once.
 */
import { expect } from 'chai';
import { arrange } from '../support/api.js';
import { Case } from '../../src/cases/cases.model.js';
import {
  actOk,
  bodyFor,
  caseBody,
  caseWorld,
  createMember,
  newCase,
  sequenceOf,
  storedCase,
  vnToday,
  type CaseView,
  type CaseWorld,
} from './case-fixtures.js';

describe('cases: case codes', function () {
  this.timeout(30_000);
  let world: CaseWorld;
  const year = vnToday().slice(0, 4);

  before(async () => {
    world = await caseWorld();
  });

  it('when a case of each built-in program is created, then its code is PREFIX-<Vietnam year>-<6 digits> with MAC, TET and TT', async () => {
    const [house, gift, relief] = await Promise.all([
      newCase(world, 'union_house'),
      newCase(world, 'tet_gift'),
      newCase(world, 'disaster_relief'),
    ]);

    expect(house.view.code).to.match(new RegExp(`^MAC-${year}-\\d{6}$`));
    expect(gift.view.code).to.match(new RegExp(`^TET-${year}-\\d{6}$`));
    expect(relief.view.code).to.match(new RegExp(`^TT-${year}-\\d{6}$`));
    expect((await storedCase(house.view.id)).code).to.equal(house.view.code);
  });

  it('when 20 cases of one program are created at the same moment, then they get 20 distinct consecutive codes', async () => {
    const members = await Promise.all(
      Array.from({ length: 20 }, () => createMember(world.sessions.officer, world.grassroots.id)),
    );

    const created = await Promise.all(
      members.map((m) =>
        arrange<CaseView>(world.sessions.officer.post('/api/v1/cases', caseBody(world, 'tet_gift', m.id))),
      ),
    );

    const codes = created.map((c) => c.code);
    expect(new Set(codes).size).to.equal(20);
    for (const code of codes) expect(code).to.match(new RegExp(`^TET-${year}-\\d{6}$`));
    const numbers = codes.map(sequenceOf).sort((a, b) => a - b);
    expect(numbers.at(-1)! - numbers[0]!).to.equal(19);
    expect(await Case.countDocuments({ code: { $in: codes } })).to.equal(20);
  });

  it('when a case is withdrawn, then it keeps its code and the next case gets the following number, never the withdrawn one', async () => {
    const { view: first } = await newCase(world, 'tet_gift');
    await actOk(world.sessions.officer, first.id, 'withdraw', bodyFor('withdraw', first));

    const { view: next } = await newCase(world, 'tet_gift');

    expect(sequenceOf(next.code)).to.equal(sequenceOf(first.code) + 1);
    const stored = await storedCase(first.id);
    expect(stored).to.include({ code: first.code, status: 'cancelled' });
    expect(await Case.countDocuments({ code: first.code })).to.equal(1);
  });

  it('when cases of another program are created in between, then each program keeps its own sequence', async () => {
    const { view: a } = await newCase(world, 'disaster_relief');
    await Promise.all([newCase(world, 'union_house'), newCase(world, 'tet_gift')]);
    const { view: b } = await newCase(world, 'disaster_relief');
    expect(sequenceOf(b.code)).to.equal(sequenceOf(a.code) + 1);
  });
});
