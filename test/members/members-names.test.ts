import { expect } from 'chai';
import { Member } from '../../src/members/members.model.js';
import { User } from '../../src/users/users.model.js';
import { isPersonName, normalisePersonName } from '../../src/core/person-name.js';
import { arrange, type Session } from '../support/api.js';
import { memberBody, PASSWORD, unique, type ProvinceTree } from '../support/factory.js';
import { expectValidation } from '../support/problems.js';
import { sharedProvince } from '../support/provinces.js';

/** What a spreadsheet, a browser or a terminal would take for something else than a name. */
const HOSTILE_NAMES = [
  '=HYPERLINK("http://x.vn","Bấm")',
  '+84 Nguyễn',
  '@Nguyễn Văn An',
  '-Nguyễn',
  '<script>alert(1)</script>',
  'Nguyễn \u202eAn',
  'Nguyễn\u0000An',
  'Nguyễn Văn 2',
  'Lê; DROP',
  'A',
];

describe("people's names: one rule for members, users and imported rows", () => {
  let tree: ProvinceTree;
  let officer: Session;

  before(async () => {
    tree = await sharedProvince();
    officer = tree.sessions.officer;
  });

  for (const name of HOSTILE_NAMES) {
    it(`when a member is created or renamed to ${JSON.stringify(name)}, then 400 names fullName and nothing is stored`, async () => {
      const body = memberBody(tree.grassroots.id, { fullName: name });
      expectValidation(await officer.post('/api/v1/members', body), 'fullName');
      expect(await Member.countDocuments({ citizenId: body.citizenId })).to.equal(0);
      const member = await arrange<{ id: string; fullName: string }>(
        officer.post('/api/v1/members', memberBody(tree.grassroots.id)),
      );
      expectValidation(await officer.patch(`/api/v1/members/${member.id}`, { fullName: name }), 'fullName');
      expect((await Member.findById(member.id).lean())!.fullName).to.equal(member.fullName);
    });
  }

  it('when a user is created or renamed with a formula or a bidi override, then 400 names fullName and nothing is stored', async () => {
    const username = unique('ten').toLowerCase();
    const body = { username, password: PASSWORD, orgId: tree.grassroots.id, roles: ['grassroots_officer'] };
    expectValidation(
      await tree.sessions.admin.post('/api/v1/users', { ...body, fullName: '=HYPERLINK("x")' }),
      'fullName',
    );
    expect(await User.countDocuments({ username })).to.equal(0);
    expectValidation(
      await tree.sessions.admin.patch(`/api/v1/users/${tree.sessions.officer.user.id}`, { fullName: 'Lê \u202eThị' }),
      'fullName',
    );
  });

  it('when names with Vietnamese letters, dots, hyphens and apostrophes come decomposed, then they are stored in NFC', async () => {
    const decomposed = "Nguyễn Thị O'Brien-Hà  Jr.".normalize('NFD');
    const body = memberBody(tree.grassroots.id, { fullName: decomposed });

    const created = await arrange<{ id: string; fullName: string }>(officer.post('/api/v1/members', body));

    const expected = "Nguyễn Thị O'Brien-Hà Jr.".normalize('NFC');
    expect(created.fullName).to.equal(expected);
    expect((await Member.findById(created.id).lean())!.fullName).to.equal(expected);
    const user = await arrange<{ id: string; fullName: string }>(
      tree.sessions.admin.post('/api/v1/users', {
        username: unique('nfc').toLowerCase(),
        password: PASSWORD,
        fullName: 'Đặng Thị Hòa'.normalize('NFD'),
        orgId: tree.grassroots.id,
        roles: ['grassroots_officer'],
      }),
    );
    expect((await User.findById(user.id).lean())!.fullName).to.equal('Đặng Thị Hòa'.normalize('NFC'));
  });

  it("when an imported row's name is checked, then the same rule applies (the importer reads the same module)", () => {
    for (const name of HOSTILE_NAMES) expect(isPersonName(normalisePersonName(name)), name).to.equal(false);
    expect(isPersonName(normalisePersonName('Hồ Thị Ánh-Tuyết'))).to.equal(true);
  });
});
