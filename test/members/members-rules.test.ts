import { expect } from 'chai';
import { AuditEntry } from '../../src/audit/audit.model.js';
import { Member } from '../../src/members/members.model.js';
import { arrange, expectProblem, type Session } from '../support/api.js';
import { createProvinceTree, memberBody, unique, uniqueCitizenId, type ProvinceTree } from '../support/factory.js';
import { expectNoPrivateFields, expectValidation, expectVietnamese } from '../support/problems.js';
import { foreignProvince } from '../support/provinces.js';
import type { MemberJson } from './member-json.js';

function isoDay(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

describe('members: rules', () => {
  let tree: ProvinceTree;
  let other: ProvinceTree;
  let officer: Session;

  before(async () => {
    [tree, other] = await Promise.all([createProvinceTree(), foreignProvince()]);
    officer = tree.sessions.officer;
  });

  const create = (overrides: Record<string, unknown> = {}, session = officer) =>
    session.post('/api/v1/members', memberBody(tree.grassroots.id, overrides));

  describe('creating', () => {
    it('when an officer adds a member, then 201 with full values and the stored member carries its union, path, search key and creator', async () => {
      const unionCardNo = unique('TCD');
      const body = memberBody(tree.grassroots.id, {
        fullName: '  Nguyễn Thị Thu Hà ',
        unionCardNo,
        bankAccount: { bankBin: '970436', accountNo: '0071000123456', accountName: 'nguyen thi thu ha' },
      });
      const res = await officer.post('/api/v1/members', body);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body).to.deep.include({
        fullName: 'Nguyễn Thị Thu Hà',
        citizenId: body.citizenId,
        dateOfBirth: '1985-04-12',
        joinedUnionAt: '2015-03-01',
        gender: 'male',
        orgId: tree.grassroots.id,
        orgPath: tree.grassroots.orgPath,
        createdBy: officer.user.id,
        bankAccount: { bankBin: '970436', accountNo: '0071000123456', accountName: 'NGUYEN THI THU HA' },
      });
      expectNoPrivateFields(res.body);

      const stored = await Member.findById(res.body.id).lean();
      expect(stored).to.include({ citizenId: body.citizenId, searchName: 'nguyen thi thu ha', unionCardNo });
      expect(stored?.orgPath.map(String)).to.deep.equal(tree.grassroots.orgPath);
      expect(String(stored?.createdBy)).to.equal(officer.user.id);
      expect(
        await AuditEntry.countDocuments({ action: 'member.create', entityId: res.body.id, actorId: officer.user.id }),
      ).to.equal(1);
    });

    it("when an officer leaves out orgId, then the member joins the officer's own grassroots union", async () => {
      const { orgId: _orgId, ...body } = memberBody(tree.grassroots.id);
      const member = await arrange<MemberJson>(officer.post('/api/v1/members', body));
      expect(member.orgId).to.equal(tree.grassroots.id);
    });

    it("when the member's union is not a grassroots union, then 400 on orgId and nothing is stored", async () => {
      const { orgId: _orgId, ...withoutOrg } = memberBody(tree.grassroots.id);
      const attempts = [memberBody(tree.upper.id), memberBody(tree.province.id)];
      const answers = await Promise.all([
        ...attempts.map((body) => tree.sessions.admin.post('/api/v1/members', body)),
        tree.sessions.approver.post('/api/v1/members', withoutOrg),
        tree.sessions.verifier.post('/api/v1/members', { ...withoutOrg, citizenId: uniqueCitizenId() }),
      ]);
      answers.forEach((res) => expectValidation(res, 'orgId'));
      expect(await Member.countDocuments({ orgPath: tree.province.id, orgId: { $ne: tree.grassroots.id } })).to.equal(
        0,
      );
    });

    const badCitizenIds: [string, unknown][] = [
      ['11 digits', '04208500123'],
      ['13 digits', '0420850012345'],
      ['letters', '04208500123A'],
      ['spaces inside', '042 085 001 234'],
      ['a dash', '042085-01234'],
      ['a number, not a string', 42085001234],
      ['an empty string', ''],
      ['full-width digits', '０４２０８５００１２３４'],
    ];
    for (const [what, citizenId] of badCitizenIds) {
      it(`when the CCCD has ${what}, then 400 on citizenId and nothing is stored`, async () => {
        const res = await create({ citizenId });
        expectValidation(res, 'citizenId');
        expect(await Member.countDocuments({ citizenId: String(citizenId) })).to.equal(0);
      });
    }

    it('when a CCCD already exists in another union or another province, then 409 in Vietnamese and only the first member exists', async () => {
      const first = await arrange<MemberJson>(create());
      const again = await Promise.all([
        create({ citizenId: first.citizenId, fullName: 'Người khác' }, officer),
        tree.sessions.siblingOfficer.post(
          '/api/v1/members',
          memberBody(tree.sibling.id, { citizenId: first.citizenId }),
        ),
        other.sessions.officer.post('/api/v1/members', memberBody(other.grassroots.id, { citizenId: first.citizenId })),
      ]);
      for (const res of again) {
        expectProblem(res, 409, 'CONFLICT');
        expectVietnamese(res.body.detail);
        expect(res.body.detail).to.include('CCCD');
        expect(res.body.errors).to.deep.equal([{ path: 'citizenId', message: 'Giá trị đã tồn tại' }]);
        expect(JSON.stringify(res.body)).to.not.include(first.id);
      }
      const stored = await Member.find({ citizenId: first.citizenId }).lean();
      expect(stored.map((m) => String(m._id))).to.deep.equal([first.id]);
    });

    it('when the same CCCD is added five times at once, then exactly one member is created', async () => {
      const citizenId = uniqueCitizenId();
      const answers = await Promise.all([
        create({ citizenId }),
        create({ citizenId }),
        tree.sessions.siblingOfficer.post('/api/v1/members', memberBody(tree.sibling.id, { citizenId })),
        other.sessions.officer.post('/api/v1/members', memberBody(other.grassroots.id, { citizenId })),
        other.sessions.admin.post('/api/v1/members', memberBody(other.sibling.id, { citizenId })),
      ]);
      expect(answers.map((r) => r.status).sort()).to.deep.equal([201, 409, 409, 409, 409]);
      expect(await Member.countDocuments({ citizenId })).to.equal(1);
    });

    it('when a union card number is already used, then 409 on unionCardNo, not on CCCD', async () => {
      const unionCardNo = unique('THE');
      await arrange(create({ unionCardNo }));
      const res = await other.sessions.officer.post(
        '/api/v1/members',
        memberBody(other.grassroots.id, { unionCardNo }),
      );
      expectProblem(res, 409, 'CONFLICT');
      expectVietnamese(res.body.detail);
      expect(res.body.errors).to.deep.equal([{ path: 'unionCardNo', message: 'Giá trị đã tồn tại' }]);
      expect(await Member.countDocuments({ unionCardNo })).to.equal(1);
    });

    it('when members have no union card number, then many of them can exist', async () => {
      const [x, y] = await Promise.all([create(), create()]);
      expect([x.status, y.status]).to.deep.equal([201, 201]);
      expect(await Member.findById(x.body.id).lean()).to.not.have.property('unionCardNo');
    });
  });

  describe('dates', () => {
    const badDates: [string, Record<string, unknown>, string][] = [
      ['30 February', { dateOfBirth: '1990-02-30' }, 'dateOfBirth'],
      ['29 February of a common year', { joinedUnionAt: '2025-02-29' }, 'joinedUnionAt'],
      ['31 April', { joinedUnionAt: '2016-04-31' }, 'joinedUnionAt'],
      ['month 13', { dateOfBirth: '1985-13-01' }, 'dateOfBirth'],
      ['a day without leading zero', { dateOfBirth: '1985-4-12' }, 'dateOfBirth'],
      ['a Vietnamese day order', { dateOfBirth: '12/04/1985' }, 'dateOfBirth'],
      ['a timestamp', { joinedUnionAt: '2015-03-01T00:00:00Z' }, 'joinedUnionAt'],
      ['a number', { dateOfBirth: 19850412 }, 'dateOfBirth'],
      ['a birth date in the future', { dateOfBirth: isoDay(2), joinedUnionAt: isoDay(3) }, 'dateOfBirth'],
      ['a joining date in the future', { joinedUnionAt: isoDay(2) }, 'joinedUnionAt'],
      ['joining before birth', { dateOfBirth: '1990-06-01', joinedUnionAt: '1990-05-31' }, 'joinedUnionAt'],
    ];
    for (const [what, dates, path] of badDates) {
      it(`when a member is created with ${what}, then 400 on ${path} and nothing is stored`, async () => {
        const body = memberBody(tree.grassroots.id, dates);
        expectValidation(await officer.post('/api/v1/members', body), path);
        expect(await Member.countDocuments({ citizenId: body.citizenId })).to.equal(0);
      });
    }

    it('when dates are real, such as 29 February of a leap year, then the member is created with them unchanged', async () => {
      const member = await arrange<MemberJson>(create({ dateOfBirth: '1988-02-29', joinedUnionAt: '2024-02-29' }));
      expect(member).to.include({ dateOfBirth: '1988-02-29', joinedUnionAt: '2024-02-29' });
      expect(await Member.findById(member.id).lean()).to.include({
        dateOfBirth: '1988-02-29',
        joinedUnionAt: '2024-02-29',
      });
    });

    it('when an edit would put joining before birth or in the future, then 400 and the dates stay', async () => {
      const member = await arrange<MemberJson>(create({ dateOfBirth: '1990-01-01', joinedUnionAt: '2012-01-01' }));
      const path = `/api/v1/members/${member.id}`;
      expectValidation(await officer.patch(path, { dateOfBirth: '2013-01-01' }), 'joinedUnionAt');
      expectValidation(await officer.patch(path, { joinedUnionAt: '1989-12-31' }), 'joinedUnionAt');
      expectValidation(await officer.patch(path, { joinedUnionAt: isoDay(5) }), 'joinedUnionAt');
      expectValidation(await officer.patch(path, { dateOfBirth: '2001-02-29' }), 'dateOfBirth');
      expect(await Member.findById(member.id).lean()).to.include({
        dateOfBirth: '1990-01-01',
        joinedUnionAt: '2012-01-01',
      });
    });
  });

  describe('editing', () => {
    it('when some fields are edited, then only those change, the address merges and the search follows the new name', async () => {
      const member = await arrange<MemberJson>(create({ fullName: 'Hoàng Văn Cũ' }));
      const res = await officer.patch(`/api/v1/members/${member.id}`, {
        fullName: 'Hoàng Văn Mới',
        phone: '+84987654321',
        address: { detail: 'Tổ dân phố 5' },
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.deep.include({
        fullName: 'Hoàng Văn Mới',
        phone: '+84987654321',
        citizenId: member.citizenId,
        address: { province: 'Hà Tĩnh', commune: 'Xã Cẩm Bình', detail: 'Tổ dân phố 5' },
      });
      expectNoPrivateFields(res.body);
      const stored = await Member.findById(member.id).lean();
      expect(stored).to.deep.include({
        fullName: 'Hoàng Văn Mới',
        searchName: 'hoang van moi',
        phone: '+84987654321',
        dateOfBirth: '1985-04-12',
        address: { province: 'Hà Tĩnh', commune: 'Xã Cẩm Bình', detail: 'Tổ dân phố 5' },
      });
      const found = await officer.get('/api/v1/members?q=hoang van moi');
      expect(found.body.items.map((m: MemberJson) => m.id)).to.deep.equal([member.id]);
      expect((await officer.get('/api/v1/members?q=hoang van cu')).body.total).to.equal(0);
      const audit = await AuditEntry.findOne({ action: 'member.update', entityId: member.id }).lean();
      expect(audit?.details).to.deep.equal({ fields: ['fullName', 'phone', 'address'] });
    });

    it('when bankAccount is set to null, then the account is removed; a new one can be given later', async () => {
      const member = await arrange<MemberJson>(create());
      const removed = await officer.patch(`/api/v1/members/${member.id}`, { bankAccount: null });
      expect(removed.status).to.equal(200);
      expect(removed.body.bankAccount).to.equal(null);
      expect((await Member.findById(member.id).lean())?.bankAccount).to.equal(null);

      const account = { bankBin: '970418', accountNo: '21510000123456', accountName: 'nguyen van an' };
      const added = await officer.patch(`/api/v1/members/${member.id}`, { bankAccount: account });
      expect(added.body.bankAccount).to.deep.equal({ ...account, accountName: 'NGUYEN VAN AN' });
      expect((await Member.findById(member.id).lean())?.bankAccount).to.deep.equal({
        ...account,
        accountName: 'NGUYEN VAN AN',
      });
    });

    it('when the account holder is typed with diacritics and in lower case, then it is stored in capitals without diacritics', async () => {
      const member = await arrange<MemberJson>(
        create({ bankAccount: { bankBin: '970415', accountNo: '1234567890', accountName: ' Đặng  Thị Hòa ' } }),
      );
      expect(member.bankAccount?.accountName).to.equal('DANG THI HOA');
      const res = await officer.patch(`/api/v1/members/${member.id}`, {
        bankAccount: { bankBin: '970415', accountNo: '1234567890', accountName: 'nguyễn ánh dương' },
      });
      expect(res.body.bankAccount.accountName).to.equal('NGUYEN ANH DUONG');
      expect((await Member.findById(member.id).lean())?.bankAccount?.accountName).to.equal('NGUYEN ANH DUONG');
    });

    it('when unionCardNo is set to an empty string, then the card number is removed', async () => {
      const member = await arrange<MemberJson>(create({ unionCardNo: unique('XOA') }));
      const res = await officer.patch(`/api/v1/members/${member.id}`, { unionCardNo: '' });
      expect(res.status).to.equal(200);
      expect(res.body).to.not.have.property('unionCardNo');
      expect(await Member.findById(member.id).lean()).to.not.have.property('unionCardNo');
    });

    it('when the CCCD is changed to one that exists in another province, then 409 and the member keeps its own', async () => {
      const [mine, theirs] = await Promise.all([
        arrange<MemberJson>(create()),
        arrange<MemberJson>(other.sessions.officer.post('/api/v1/members', memberBody(other.grassroots.id))),
      ]);
      const res = await officer.patch(`/api/v1/members/${mine.id}`, { citizenId: theirs.citizenId });
      expectProblem(res, 409, 'CONFLICT');
      expectVietnamese(res.body.detail);
      expect((await Member.findById(mine.id).lean())?.citizenId).to.equal(mine.citizenId);
      expect(await Member.countDocuments({ citizenId: theirs.citizenId })).to.equal(1);
    });

    it('when an edit names the current union or an empty address, then 200 and the member is as it was', async () => {
      const member = await arrange<MemberJson>(create());
      const before = await Member.findById(member.id).lean();
      for (const body of [{ orgId: tree.grassroots.id }, { address: {} }]) {
        const res = await officer.patch(`/api/v1/members/${member.id}`, body);
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
        expect(res.body).to.deep.include({
          citizenId: member.citizenId,
          orgId: tree.grassroots.id,
          address: member.address,
        });
      }
      const after = await Member.findById(member.id).lean();
      expect({ ...after, updatedAt: null }).to.deep.equal({ ...before, updatedAt: null });
    });

    it('when a member is moved to an org of the subtree that is not grassroots, then 400 and it stays', async () => {
      const member = await arrange<MemberJson>(create());
      expectValidation(
        await tree.sessions.admin.patch(`/api/v1/members/${member.id}`, { orgId: tree.upper.id }),
        'orgId',
      );
      expectValidation(
        await tree.sessions.admin.patch(`/api/v1/members/${member.id}`, { orgId: tree.province.id }),
        'orgId',
      );
      expect(String((await Member.findById(member.id).lean())?.orgId)).to.equal(tree.grassroots.id);
    });
  });
});
