/**
 * A province's cap on what a member receives from one program over a number of years (the lifecycle issue's proof
 * rule: `maxAmountPerMember: {amount, years}` in the province's program rules). Checked at submission and at
 * approval, for single cases, list approvals and the list import's screening; exact under racing approvals, because
 * the approval takes its amount on the member's ledger (`member_benefits`) by compare-and-set; a revocation gives
 * it back. Tết gifts are once per campaign, so one member can hold several Tết cases, one per campaign.
 */
import { expect } from 'chai';
import { api, arrange, expectProblem } from '../support/api.js';
import { provinceFund } from '../support/funds.js';
import { Case, MemberBenefits } from '../../src/cases/cases.model.js';
import { backfillMemberBenefits } from '../../src/cases/index.js';
import { Fund } from '../../src/funds/funds.model.js';
import { batchAction, importTet, listRow } from '../batches/batch-fixtures.js';
import {
  act,
  actOk,
  bodyFor,
  caseBody,
  caseWorld,
  createCampaign,
  createMember,
  driveTo,
  expectUnchanged,
  readCase,
  setProvinceRules,
  shiftDay,
  stateOf,
  uploadStage,
  vnToday,
  type Campaign,
  type CaseView,
  type CaseWorld,
  type Member,
} from './case-fixtures.js';

interface LedgerEntry {
  caseId: unknown;
  caseCode: string;
  amount: number;
  day: string;
}

describe('cases: a cap per member over years (maxAmountPerMember)', function () {
  this.timeout(60_000);
  let world: CaseWorld;
  let s: CaseWorld['sessions'];

  before(async () => {
    world = await caseWorld();
    s = world.sessions;
    await setProvinceRules(s.approver, 'tet_gift', { maxAmountPerMember: { amount: 1_500_000, years: 3 } });
  });

  /** A Tết case of `member` in `campaign` (a new one by default), driven to `status`. */
  async function tetCase(
    member: Member,
    status: 'draft' | 'verified' | 'approved',
    amount = 1_000_000,
    campaign?: Campaign,
  ): Promise<CaseView> {
    const tet = campaign ?? (await createCampaign(s.approver, 'tet_gift'));
    const draft = await arrange<CaseView>(
      s.officer.post(
        '/api/v1/cases',
        caseBody(world, 'tet_gift', member.id, { campaignId: tet.id, requestedAmount: amount }),
      ),
    );
    const ready = await uploadStage(s.officer, draft, 'submit');
    return status === 'draft' ? ready : driveTo(world, ready, status);
  }

  async function ledgerOf(member: Member): Promise<LedgerEntry[]> {
    const ledger = await MemberBenefits.findById(`tet_gift:${member.id}`).lean<{ entries: LedgerEntry[] }>();
    return ledger?.entries ?? [];
  }

  async function fundCommitted(): Promise<number> {
    return (await Fund.findById(await provinceFund(world)).lean<{ committed: number }>())!.committed;
  }

  it('when the province sets the cap, then its rules show it; a cap of no years or of text is refused with 400 and nothing changes', async () => {
    const rules = await arrange<{ rules: { maxAmountPerMember: unknown } }>(
      s.officer.get('/api/v1/programs/tet_gift/rules'),
      200,
    );
    expect(rules.rules.maxAmountPerMember).to.deep.equal({ amount: 1_500_000, years: 3 });
    for (const bad of [{ amount: 1_000_000, years: 0 }, { amount: 'một triệu', years: 3 }, { amount: 1_000_000 }]) {
      const res = await api()
        .put('/api/v1/programs/tet_gift/rules')
        .set('Authorization', `Bearer ${s.approver.token}`)
        .send({ rules: { maxAmountPerMember: bad } });
      expectProblem(res, 400, 'VALIDATION_FAILED');
    }
    const after = await arrange<{ rules: { maxAmountPerMember: unknown } }>(
      s.officer.get('/api/v1/programs/tet_gift/rules'),
      200,
    );
    expect(after.rules.maxAmountPerMember).to.deep.equal({ amount: 1_500_000, years: 3 });
  });

  it('when a member who received 1.000.000 đ is submitted again for 1.000.000 đ, then 422 AMOUNT_EXCEEDS_CAP names the first case and what is left; for 500.000 đ it is submitted and approved', async () => {
    const member = await createMember(s.officer, world.grassroots.id);
    const first = await tetCase(member, 'approved');
    expect(await ledgerOf(member)).to.have.length(1);

    const second = await tetCase(member, 'draft');
    const before = await stateOf(second.id);
    const res = await act(s.officer, second.id, 'submit', bodyFor('submit', second));
    expectProblem(res, 422, 'AMOUNT_EXCEEDS_CAP');
    expect(res.body).to.include({ cap: 1_500_000, capYears: 3, received: 1_000_000, remaining: 500_000 });
    expect(res.body.receivedCases).to.deep.equal([first.code]);
    expect(res.body.detail).to.include(first.code).and.include('500.000');
    await expectUnchanged(second.id, before, 'a submission over the cap');

    const third = await tetCase(member, 'approved', 500_000);
    expect(third.approvedAmount).to.equal(500_000);
    const entries = await ledgerOf(member);
    expect(entries.map((e) => [e.caseCode, e.amount])).to.deep.equal([
      [first.code, 1_000_000],
      [third.code, 500_000],
    ]);
    expect(entries.every((e) => e.day === vnToday())).to.equal(true);
  });

  it('when an approver approves more than is left, then 422 AMOUNT_EXCEEDS_CAP, the case stays verified and the fund commits nothing', async () => {
    const member = await createMember(s.officer, world.grassroots.id);
    const waiting = await tetCase(member, 'verified');
    await tetCase(member, 'approved', 1_000_000);
    const committed = await fundCommitted();
    const before = await stateOf(waiting.id);
    const res = await act(s.approver, waiting.id, 'approve', bodyFor('approve', waiting));
    expectProblem(res, 422, 'AMOUNT_EXCEEDS_CAP');
    await expectUnchanged(waiting.id, before, 'an approval over the cap');
    expect(await fundCommitted()).to.equal(committed);
    // Within what is left, the same case is approved.
    const ok = await actOk(s.approver, waiting.id, 'approve', {
      ...bodyFor('approve', waiting),
      approvedAmount: 500_000,
      fundAllocations: (bodyFor('approve', { ...waiting, recommendedAmount: 500_000 }) as { fundAllocations: unknown })
        .fundAllocations,
    });
    expect(ok.status).to.equal('approved');
    expect((await ledgerOf(member)).reduce((sum, e) => sum + e.amount, 0)).to.equal(1_500_000);
  });

  it('when four approvals of 500.000 đ for one member race under a cap of 1.500.000 đ, then exactly three stand, the ledger holds them and the fund committed only theirs', async () => {
    const member = await createMember(s.officer, world.grassroots.id);
    const cases: CaseView[] = [];
    for (let i = 0; i < 4; i += 1) cases.push(await tetCase(member, 'verified', 500_000));
    const committed = await fundCommitted();
    const answers = await Promise.all(cases.map((c) => act(s.approver, c.id, 'approve', bodyFor('approve', c))));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses, JSON.stringify(answers.map((r) => r.body.code ?? r.body.status))).to.deep.equal([
      200, 200, 200, 422,
    ]);
    const losers = answers.filter((r) => r.status === 422);
    for (const r of losers) expect(r.body.code).to.equal('AMOUNT_EXCEEDS_CAP');
    const stored = await Case.find({ _id: { $in: cases.map((c) => c.id) } }).lean();
    expect(stored.filter((c) => c.status === 'approved')).to.have.length(3);
    expect(stored.filter((c) => c.status === 'verified')).to.have.length(1);
    const entries = await ledgerOf(member);
    expect(entries).to.have.length(3);
    expect(new Set(entries.map((e) => String(e.caseId)))).to.deep.equal(
      new Set(stored.filter((c) => c.status === 'approved').map((c) => String(c._id))),
    );
    expect((await fundCommitted()) - committed).to.equal(1_500_000);
  });

  it('when an approval is revoked, then its amount is given back and the member may be approved again', async () => {
    const member = await createMember(s.officer, world.grassroots.id);
    const first = await tetCase(member, 'approved', 1_000_000);
    const waiting = await tetCase(member, 'draft', 1_000_000);
    expectProblem(await act(s.officer, waiting.id, 'submit', bodyFor('submit', waiting)), 422, 'AMOUNT_EXCEEDS_CAP');
    const current = await readCase(s.approver, first.id);
    await actOk(s.approver, first.id, 'revoke', bodyFor('revoke', current));
    expect(await ledgerOf(member)).to.deep.equal([]);
    const again = await driveTo(world, await readCase(s.officer, waiting.id), 'approved');
    expect(again.approvedAmount).to.equal(1_000_000);
  });

  it('when what the member received is older than the years counted, then it no longer counts', async () => {
    const member = await createMember(s.officer, world.grassroots.id);
    const old = await tetCase(member, 'approved', 1_000_000);
    // As if approved three years and one day ago: the window is the last three years, by day.
    await MemberBenefits.updateOne(
      { _id: `tet_gift:${member.id}`, 'entries.caseId': old.id },
      { $set: { 'entries.$.day': shiftDay(vnToday(), -(3 * 365 + 1)) } },
    );
    const next = await tetCase(member, 'approved', 1_000_000);
    expect(next.status).to.equal('approved');
  });

  it('when a list is approved and one of its members reached the cap meanwhile, then that case fails with AMOUNT_EXCEEDS_CAP and the others are approved in one decision', async () => {
    const member = await createMember(s.officer, world.grassroots.id);
    const imported = await importTet(world, [
      listRow({ fullName: member.fullName, citizenId: member.citizenId, amount: '1.000.000' }),
      listRow({ fullName: 'Lê Thị Mai', amount: '1.000.000' }),
    ]);
    expect(imported.counts.created).to.equal(2);
    await batchAction(s.officer, imported.batch.id, 'submit');
    await batchAction(s.verifier, imported.batch.id, 'verify', { note: 'Đã rà soát' });
    // Meanwhile the member is approved 1.000.000 đ in another campaign.
    await tetCase(member, 'approved', 1_000_000);
    const fundId = await provinceFund(world);
    const result = await batchAction(s.approver, imported.batch.id, 'approve', { fundId });
    expect(result.counts).to.include({ ok: 1, failed: 1 });
    const failed = result.results.find((r) => r.outcome === 'failed')!;
    expect(failed.problem?.code).to.equal('AMOUNT_EXCEEDS_CAP');
    expect(result.decision?.caseCount).to.equal(1);
    expect((await Case.findById(failed.caseId).lean())!.status).to.equal('verified');
    expect(await ledgerOf(member)).to.have.length(1);
  });

  it('when a list names a member who received up to the cap, then the import refuses that row with the cases counted, and takes the others', async () => {
    const member = await createMember(s.officer, world.grassroots.id);
    const first = await tetCase(member, 'approved', 1_000_000);
    const imported = await importTet(world, [
      listRow({ fullName: member.fullName, citizenId: member.citizenId, amount: '1.000.000' }),
      listRow({ fullName: 'Phan Văn Tâm', amount: '1.000.000' }),
    ]);
    expect(imported.counts).to.deep.equal({ rows: 2, created: 1, rejected: 1 });
    const [refused] = imported.rejectedRows;
    expect(refused!.row).to.equal(2);
    expect(refused!.reasons.join(' ')).to.include(first.code).and.include('1.500.000');
  });

  it('when the ledger lacks approvals made before it existed, then the migration adds each once, however often it runs', async () => {
    const member = await createMember(s.officer, world.grassroots.id);
    const approved = await tetCase(member, 'approved', 700_000);
    await MemberBenefits.deleteOne({ _id: `tet_gift:${member.id}` });
    await backfillMemberBenefits();
    await backfillMemberBenefits();
    const entries = await ledgerOf(member);
    expect(entries.map((e) => [e.caseCode, e.amount])).to.deep.equal([[approved.code, 700_000]]);
  });

  it('when an approval was interrupted before its case recorded it, then its entry stops counting after a while', async () => {
    const member = await createMember(s.officer, world.grassroots.id);
    const stuck = await tetCase(member, 'verified', 1_000_000);
    // What a crash between the ledger write and the case's update leaves: an entry for a case still verified.
    await MemberBenefits.create({
      _id: `tet_gift:${member.id}`,
      memberId: member.id,
      programCode: 'tet_gift',
      version: 1,
      entries: [{ caseId: stuck.id, caseCode: stuck.code, amount: 1_000_000, day: vnToday(), at: new Date(0) }],
    });
    const other = await tetCase(member, 'approved', 1_000_000);
    expect(other.status).to.equal('approved');
    const entries = await ledgerOf(member);
    expect(entries.map((e) => e.caseCode)).to.deep.equal([other.code]);
  });

  it('when a province has no cap, then a member is approved however much they received, and the ledger still records it', async () => {
    const other: CaseWorld = await caseWorld();
    const member = await createMember(other.sessions.officer, other.grassroots.id);
    for (let i = 0; i < 2; i += 1) {
      const tet = await createCampaign(other.sessions.approver, 'tet_gift');
      const draft = await arrange<CaseView>(
        other.sessions.officer.post(
          '/api/v1/cases',
          caseBody(other, 'tet_gift', member.id, { campaignId: tet.id, requestedAmount: 1_000_000 }),
        ),
      );
      await driveTo(other, await uploadStage(other.sessions.officer, draft, 'submit'), 'approved');
    }
    const ledger = await MemberBenefits.findById(`tet_gift:${member.id}`).lean<{ entries: LedgerEntry[] }>();
    expect(ledger!.entries.map((e) => e.amount)).to.deep.equal([1_000_000, 1_000_000]);
  });
});
