import { expect } from 'chai';
import { AuditEntry } from '../../src/audit/audit.model.js';
import { Member } from '../../src/members/members.model.js';
import { arrange, type Session } from '../support/api.js';
import { createProvinceTree, memberBody, uniqueCitizenId, type ProvinceTree } from '../support/factory.js';
import { expectNoPrivateFields } from '../support/problems.js';
import type { MemberJson } from './member-json.js';

const MASKED = /^\*{8}\d{4}$/;

describe('members: personal data and search', () => {
  let tree: ProvinceTree;
  let officer: Session;

  before(async () => {
    tree = await createProvinceTree();
    officer = tree.sessions.officer;
  });

  const create = (overrides: Record<string, unknown> = {}) =>
    officer.post('/api/v1/members', memberBody(tree.grassroots.id, overrides));

  describe('personal data', () => {
    it('when members are listed, then CCCD and account number are masked as ********1234', async () => {
      const citizenId = uniqueCitizenId();
      const [withBank, withoutBank] = await Promise.all([
        arrange<MemberJson>(
          create({
            citizenId,
            bankAccount: { bankBin: '970415', accountNo: '1234567890', accountName: 'NGUYEN VAN AN' },
          }),
        ),
        arrange<MemberJson>(create({ bankAccount: null })),
      ]);
      const res = await officer.get('/api/v1/members?limit=100');
      expect(res.status).to.equal(200);
      const items = res.body.items as MemberJson[];
      for (const item of items) {
        expect(item.citizenId, item.id).to.match(MASKED);
        if (item.bankAccount) expect(item.bankAccount.accountNo, item.id).to.match(MASKED);
        expectNoPrivateFields(item);
      }
      const listed = items.find((m) => m.id === withBank.id)!;
      expect(listed.citizenId).to.equal(`********${citizenId.slice(-4)}`);
      expect(listed.bankAccount).to.deep.equal({
        bankBin: '970415',
        accountNo: '********7890',
        accountName: 'NGUYEN VAN AN',
      });
      expect(items.find((m) => m.id === withoutBank.id)?.bankAccount).to.equal(null);
      expect(JSON.stringify(res.body)).to.not.include(citizenId);
      expect(JSON.stringify(res.body)).to.not.include('1234567890');
      // Masking is for the answer only: the stored values are whole.
      expect(await Member.findById(withBank.id).lean()).to.deep.include({
        citizenId,
        bankAccount: { bankBin: '970415', accountNo: '1234567890', accountName: 'NGUYEN VAN AN' },
      });
    });

    it('when an account number is short, then the list never shows it whole', async () => {
      const member = await arrange<MemberJson>(
        create({ bankAccount: { bankBin: '970415', accountNo: '9876', accountName: 'NGUYEN VAN AN' } }),
      );
      const res = await officer.get(`/api/v1/members?q=${member.citizenId}`);
      expect(res.body.items).to.have.length(1);
      expect(res.body.items[0].bankAccount.accountNo).to.equal('********');
    });

    it('when one member is read, then CCCD and account number are whole and an audit entry names the reader', async () => {
      const member = await arrange<MemberJson>(create());
      const res = await tree.sessions.verifier.get(`/api/v1/members/${member.id}`);
      expect(res.status).to.equal(200);
      expect(res.body.citizenId)
        .to.equal(member.citizenId)
        .and.match(/^\d{12}$/);
      expect(res.body.bankAccount.accountNo).to.equal('1234567890');
      expectNoPrivateFields(res.body);
      const entries = await AuditEntry.find({ action: 'member.read_personal_data', entityId: member.id }).lean();
      expect(entries).to.have.length(1);
      expect(entries[0]).to.include({
        entity: 'member',
        actorId: tree.sessions.verifier.user.id,
        requestId: res.headers['x-request-id'],
      });
      expect(entries[0]?.actorName).to.be.a('string').and.not.empty;
      expect(entries[0]?.orgPath.map(String)).to.deep.equal(tree.grassroots.orgPath);
      // Each read is one more entry.
      await arrange(officer.get(`/api/v1/members/${member.id}`), 200);
      expect(await AuditEntry.countDocuments({ action: 'member.read_personal_data', entityId: member.id })).to.equal(2);
    });

    it('when members are listed, then no read of personal data is audited, because nothing personal is shown', async () => {
      const member = await arrange<MemberJson>(create());
      await arrange(officer.get(`/api/v1/members?q=${member.citizenId}`), 200);
      expect(await AuditEntry.countDocuments({ action: 'member.read_personal_data', entityId: member.id })).to.equal(0);
    });
  });

  describe('search and filters', () => {
    let people: Record<string, MemberJson>;
    let sibling: Session;

    before(async () => {
      sibling = tree.sessions.siblingOfficer;
      const names = ['Nguyễn Văn An', 'Đặng Thị Hòa', 'Lê Đức Thắng', 'Trần Quốc Đạt', 'Phạm Thị Ánh Tuyết'];
      const created = await Promise.all(
        names.map((fullName, i) =>
          arrange<MemberJson>(
            sibling.post(
              '/api/v1/members',
              memberBody(tree.sibling.id, { fullName, gender: i % 2 ? 'female' : 'male' }),
            ),
          ),
        ),
      );
      people = Object.fromEntries(names.map((name, i) => [name, created[i]!]));
    });

    const find = async (q: string, session = sibling) => {
      const res = await session.get(`/api/v1/members?limit=100&q=${encodeURIComponent(q)}`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      return (res.body.items as MemberJson[]).map((m) => m.fullName);
    };

    it('when the name is typed without diacritics, in other case or decomposed, then the member is found', async () => {
      expect(await find('nguyen van an')).to.deep.equal(['Nguyễn Văn An']);
      expect(await find('NGUYỄN văn AN')).to.deep.equal(['Nguyễn Văn An']);
      expect(await find('Nguye\u0302\u0303n Va\u0306n An')).to.deep.equal(['Nguyễn Văn An']);
      expect(await find('  nguyen   van  an ')).to.deep.equal(['Nguyễn Văn An']);
      expect(await find('van an')).to.deep.equal(['Nguyễn Văn An']);
    });

    it('when "đ" or "Đ" is typed as "d", then Đặng, Đức and Đạt are found', async () => {
      expect(await find('dang')).to.deep.equal(['Đặng Thị Hòa']);
      expect(await find('DANG THI HOA')).to.deep.equal(['Đặng Thị Hòa']);
      expect(await find('đặng')).to.deep.equal(['Đặng Thị Hòa']);
      expect(await find('duc thang')).to.deep.equal(['Lê Đức Thắng']);
      expect(await find('dat')).to.deep.equal(['Trần Quốc Đạt']);
      expect(await find('anh tuyet')).to.deep.equal(['Phạm Thị Ánh Tuyết']);
    });

    it('when q holds regular-expression characters, then they match literally', async () => {
      expect(await find('.*')).to.deep.equal([]);
      expect(await find('an|hoa')).to.deep.equal([]);
      expect(await find('(')).to.deep.equal([]);
    });

    it('when q is a full 12-digit CCCD, then exactly that member is found; part of a CCCD finds nobody', async () => {
      const target = people['Lê Đức Thắng']!;
      const res = await sibling.get(`/api/v1/members?q=${target.citizenId}`);
      expect(res.body.items.map((m: MemberJson) => m.id)).to.deep.equal([target.id]);
      expect(res.body.items[0].citizenId).to.match(MASKED);
      expect(await find(target.citizenId.slice(0, 11))).to.deep.equal([]);
      expect(await find(target.citizenId.slice(-6))).to.deep.equal([]);
    });

    it('when filtered by orgId, then the whole subtree of that org is included and nothing else', async () => {
      const admin = tree.sessions.admin;
      const [byUpper, bySibling, byGrassroots, byProvince] = await Promise.all([
        admin.get(`/api/v1/members?orgId=${tree.upper.id}&limit=100`),
        admin.get(`/api/v1/members?orgId=${tree.sibling.id}&limit=100`),
        admin.get(`/api/v1/members?orgId=${tree.grassroots.id}&limit=100`),
        admin.get(`/api/v1/members?orgId=${tree.province.id}&limit=100`),
      ]);
      const inUpper = await Member.countDocuments({ orgPath: tree.upper.id });
      expect(byUpper.body.total).to.equal(inUpper);
      expect(byProvince.body.total).to.equal(inUpper);
      expect(bySibling.body.total).to.equal(await Member.countDocuments({ orgId: tree.sibling.id }));
      expect(byGrassroots.body.total).to.equal(await Member.countDocuments({ orgId: tree.grassroots.id }));
      expect(bySibling.body.total + byGrassroots.body.total).to.equal(inUpper);
      expect(bySibling.body.items.every((m: MemberJson) => m.orgId === tree.sibling.id)).to.equal(true);
      expect(bySibling.body.items.map((m: MemberJson) => m.id)).to.include.members(
        Object.values(people).map((p) => p.id),
      );
    });

    it('when q, orgId and gender are combined, then all of them apply', async () => {
      const admin = tree.sessions.admin;
      const [women, wrongOrg] = await Promise.all([
        admin.get(`/api/v1/members?orgId=${tree.sibling.id}&gender=female&q=thi&limit=100`),
        admin.get(`/api/v1/members?orgId=${tree.grassroots.id}&q=dang`),
      ]);
      expect(women.body.items.map((m: MemberJson) => m.fullName)).to.have.members(['Đặng Thị Hòa']);
      expect(wrongOrg.body.total).to.equal(0);
    });

    it('when listed with paging and sort, then pages are disjoint and ordered', async () => {
      const pages = await Promise.all(
        [1, 2, 3].map((page) => sibling.get(`/api/v1/members?sort=fullName&limit=2&page=${page}`)),
      );
      const total = await Member.countDocuments({ orgPath: tree.sibling.id });
      pages.forEach((p, i) => expect(p.body).to.include({ total, page: i + 1, limit: 2 }));
      const names = pages.flatMap((p) => p.body.items.map((m: MemberJson) => m.fullName));
      expect(names).to.have.length(Math.min(6, total));
      expect(new Set(pages.flatMap((p) => p.body.items.map((m: MemberJson) => m.id))).size).to.equal(names.length);
      // Names sort by their form without diacritics: "Đặng" sits with the D names, before "Lê".
      const plain = (name: string) =>
        name
          .normalize('NFD')
          .replace(/[\u0300-\u036f]/g, '')
          .replace(/đ/gi, 'd')
          .toLowerCase();
      expect(names).to.deep.equal([...names].sort((a, b) => plain(a).localeCompare(plain(b))));
      const desc = await sibling.get('/api/v1/members?sort=-joinedUnionAt&limit=100');
      const joined = desc.body.items.map((m: MemberJson) => m.joinedUnionAt as string);
      expect(joined).to.deep.equal([...joined].sort().reverse());
    });
  });
});
