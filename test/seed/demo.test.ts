/**
 * `npm run seed:demo` (src/seed): the demo province loads through the services, in the shared test database,
 * and shows the list flow: a Tết list imported from Excel, with a refused row, submitted by the union and
 * verified by the upper union with one case set aside, waiting for the approver. Loading it again changes nothing.
 */
import { expect } from 'chai';
import { Batch } from '../../src/batches/batches.model.js';
import { Case } from '../../src/cases/cases.model.js';
import { Member } from '../../src/members/members.model.js';
import { Org } from '../../src/orgs/orgs.model.js';
import { DEMO_PASSWORD, demoMembers } from '../../src/seed/demo-data.js';
import { seedDemo } from '../../src/seed/demo-seed.js';
import { arrange, login } from '../support/api.js';
import { testEnv } from '../support/global-setup.js';

describe('seed: demo', function () {
  this.timeout(300_000);
  let printed: string[];

  before(async () => {
    printed = [];
    await seedDemo(testEnv().config, (line) => printed.push(line));
  });

  async function demoList() {
    const union = await Org.findOne({ code: 'HT-VA-MAY' }).lean();
    const batches = await Batch.find({ orgId: union!._id }).lean();
    expect(batches).to.have.length(1);
    return { union: union!, batch: batches[0]!, cases: await Case.find({ batchId: batches[0]!._id }).lean() };
  }

  it("when the demo is loaded, then the garment union's Tết list is imported with its refused row, submitted and verified with one case set aside", async () => {
    const { union, batch, cases } = await demoList();
    expect(batch).to.include({
      programCode: 'tet_gift',
      status: 'imported',
      fileFormat: 'xlsx',
      rowCount: 9,
      createdCount: 8,
      rejectedCount: 1,
    });
    expect(batch.actions.map((a) => [a.action, a.ok, a.failed, a.excluded])).to.deep.equal([
      ['submit', 8, 0, 0],
      ['verify', 7, 0, 1],
    ]);
    // Row 9 is Đặng Văn Khoa, whose Tết case of the campaign is already verified.
    const khoa = demoMembers().find((m) => m.fullName === 'Đặng Văn Khoa')!;
    const khoaCase = await Case.findOne({
      memberCitizenId: khoa.citizenId,
      programCode: 'tet_gift',
      batchId: null,
    }).lean();
    expect(batch.rejectedRows.map((r) => [r.row, r.citizenId])).to.deep.equal([
      [9, `********${khoa.citizenId.slice(-4)}`],
    ]);
    expect(batch.rejectedRows[0]!.reasons.join(' ')).to.include(khoaCase!.code);

    expect(cases.map((c) => c.status).sort()).to.deep.equal(['submitted', ...Array<string>(7).fill('verified')]);
    expect(
      cases.every((c) => String(c.campaignId) === String(khoaCase!.campaignId) && c.requestedAmount === 1_000_000),
    ).to.equal(true);
    const setAside = cases.find((c) => c.status === 'submitted')!;
    expect(setAside.history.at(-1)).to.include({ action: 'exclude', from: 'submitted', to: 'submitted' });
    expect(setAside.history.at(-1)!.note).to.include('bổ sung xác nhận hoàn cảnh');
    // Six workers new to the system became members of the union; the two known members were matched, not doubled.
    const known = demoMembers()
      .filter((m) => m.org === 'may' && m.fullName !== 'Đặng Văn Khoa')
      .map((m) => m.citizenId);
    const listed = await Member.find({ _id: { $in: cases.map((c) => c.memberId) } }).lean();
    expect(listed.every((m) => String(m.orgId) === String(union._id))).to.equal(true);
    expect(listed.filter((m) => known.includes(m.citizenId))).to.have.length(2);
    expect(await Member.countDocuments({ citizenId: { $in: known } })).to.equal(2);
    expect(printed.at(-1)).to.match(/Hồ sơ mới: 22\. Xong\./);
  });

  it('when the demo is loaded, then Hà Tĩnh is organised as since 1 July 2025 and a central sector union runs its own program', async () => {
    const byCode = new Map(
      (
        await Org.find({
          code: {
            $in: [
              'HT',
              'HT-VA',
              'HT-TS',
              'HT-CX-THCSCB',
              'HT-CX-TYT',
              'HT-TS-MN',
              'HT-VA-MAY',
              'CTVN',
              'CTVN-HC',
              'CTVN-HC-BD',
              'CTVN-DHCN',
            ],
          },
        }).lean()
      ).map((o) => [o.code, o]),
    );
    const codeOf = new Map([...byCode.values()].map((o) => [String(o._id), o.code]));
    const parentOf = (code: string) => codeOf.get(String(byCode.get(code)!.parentId));
    expect(byCode.get('HT')).to.include({ level: 'province', kind: 'provincial_federation' });
    expect(byCode.get('CTVN')).to.include({ level: 'province', kind: 'central_sector_union' });
    expect(byCode.get('HT-TS')).to.include({ level: 'commune' });
    expect(byCode.get('HT-TS')!.delegations).to.deep.equal(['verify']);
    const placement = ['HT-CX-THCSCB', 'HT-CX-TYT', 'HT-VA-MAY', 'HT-TS-MN', 'CTVN-HC', 'CTVN-HC-BD', 'CTVN-DHCN'].map(
      (code) => [code, parentOf(code)],
    );
    expect(placement).to.deep.equal([
      ['HT-CX-THCSCB', 'HT'],
      ['HT-CX-TYT', 'HT'],
      ['HT-VA-MAY', 'HT-VA'],
      ['HT-TS-MN', 'HT-TS'],
      ['CTVN-HC', 'CTVN'],
      ['CTVN-HC-BD', 'CTVN-HC'],
      ['CTVN-DHCN', 'CTVN'],
    ]);
    // The district federation was dissolved on 1 July 2025 and its unions moved to the province, with that history.
    const former = await Org.findOne({ code: 'HT-CX' }).lean();
    expect(former).to.include({ status: 'dissolved' });
    expect(
      former!.history.filter((h) => h.event !== 'created').map((h) => [h.event, h.effectiveDate, h.to?.name]),
    ).to.deep.equal([['dissolved', '2025-07-01', byCode.get('HT')!.name]]);
    for (const code of ['HT-CX-THCSCB', 'HT-CX-TYT']) {
      const moved = byCode.get(code)!.history.find((h) => h.event === 'moved')!;
      expect([moved.from?.name, moved.to?.name, moved.effectiveDate]).to.deep.equal([
        former!.name,
        byCode.get('HT')!.name,
        '2025-07-01',
      ]);
      expect(byCode.get(code)!.orgPath.map(String)).to.not.include(String(former!._id));
    }

    const as = (username: string) => login(username, DEMO_PASSWORD);
    const [province, ward, both, approver, sectorApprover] = await Promise.all([
      as('thamdinh.hatinh'),
      as('thamdinh.thanhsen'),
      as('lanhdao.hatinh'),
      as('pheduyet.hatinh'),
      as('pheduyet.congthuong'),
    ]);
    expect(both.user.roles).to.have.members(['verifier', 'approver']);
    const waiting = async (session: typeof province) =>
      (
        await arrange<{ items: { id: string; memberName: string }[] }>(
          session.get(`/api/v1/cases?status=submitted&verifierOrgId=${session.user.orgId}&limit=100`),
          200,
        )
      ).items;
    // The ward's case waits for the ward union, not for the province.
    const wardCase = await Case.findOne({ orgId: byCode.get('HT-TS-MN')!._id }).lean();
    expect((await waiting(ward)).map((c) => c.id)).to.deep.equal([String(wardCase!._id)]);
    expect((await waiting(province)).map((c) => c.id)).to.not.include(String(wardCase!._id));
    // The case the vice-chair verified is another approver's to approve.
    const verifiedByBoth = await Case.findOne({ 'verifiedBy.id': both.user.id, status: 'verified' }).lean();
    const seen = (session: typeof both) =>
      arrange<{ allowedActions: string[] }>(session.get(`/api/v1/cases/${String(verifiedByBoth!._id)}`), 200);
    expect((await seen(both)).allowedActions).to.not.include('approve');
    expect((await seen(approver)).allowedActions).to.include('approve');
    // The sector union's case: verified by its corporation union, its approver's to decide, outside Hà Tĩnh's reach.
    const sectorCase = await Case.findOne({ orgId: byCode.get('CTVN-HC-BD')!._id }).lean();
    expect(sectorCase).to.include({ programCode: 'union_house', status: 'verified' });
    expect(
      (await arrange<{ allowedActions: string[] }>(sectorApprover.get(`/api/v1/cases/${String(sectorCase!._id)}`), 200))
        .allowedActions,
    ).to.include('approve');
    expect((await approver.get(`/api/v1/cases/${String(sectorCase!._id)}`)).status).to.equal(404);
  });

  it('when the approver acts on the demo list, then the verified cases are approved in one decision', async () => {
    const { batch } = await demoList();
    const approver = await login('pheduyet.hatinh', DEMO_PASSWORD);
    const funds = await arrange<{ items: { id: string; code: string }[] }>(
      approver.get('/api/v1/funds?limit=100'),
      200,
    );
    const fundId = funds.items.find((f) => f.code.startsWith('QXH-'))!.id;
    const result = await arrange<{
      counts: Record<string, number>;
      results: { outcome: string; status: string; reason?: string }[];
      decision: { caseCount: number; totalAmount: number };
    }>(approver.post(`/api/v1/batches/${String(batch._id)}/approve`, { fundId }), 200);
    // The case set aside at verification is still submitted: not at the approval's step, so skipped, not failed.
    expect(result.counts).to.deep.equal({ ok: 7, failed: 0, excluded: 0, skipped: 1 });
    expect(result.decision).to.include({ caseCount: 7, totalAmount: 7_000_000 });
    const skipped = result.results.filter((r) => r.outcome === 'skipped');
    expect(skipped.map((r) => [r.status, r.reason])).to.deep.equal([
      ['submitted', 'Hồ sơ đang ở trạng thái “Đã gửi”, không ở bước của thao tác này nên không được xét.'],
    ]);
  });

  it('when the demo is loaded again, then nothing is added', async () => {
    const province = await Org.findOne({ code: 'HT' }).lean();
    const count = () =>
      Promise.all([
        Case.countDocuments({ orgPath: province!._id }),
        Member.countDocuments({ orgPath: province!._id }),
        Batch.countDocuments({ orgPath: province!._id }),
      ]);
    const before = await count();
    const again: string[] = [];
    await seedDemo(testEnv().config, (line) => again.push(line));
    expect(await count()).to.deep.equal(before);
    expect(again.at(-1)).to.equal('Đoàn viên mới: 0. Hồ sơ mới: 0. Xong.');
  });
});
