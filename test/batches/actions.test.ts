/**
 * Acting on a list (SPEC §5 batches, §6): each case goes through the single-case rules and is reported on;
 * exclusions, a fund running out part-way, one decision with the annex, races with single-case actions,
 * scope and bad input.
 */
import { expect } from 'chai';
import { Types } from 'mongoose';
import { arrange, expectProblem } from '../support/api.js';
import { commandsDuring, readsOf } from '../support/db-reads.js';
import { allocationsFor } from '../support/funds.js';
import { unique } from '../support/factory.js';
import { caseWorld, createCampaign, readCase, REASON, type CaseWorld } from '../cases/case-fixtures.js';
import { downloadPdf, flat, pdfText } from '../decisions/decision-fixtures.js';
import { AuditEntry } from '../../src/audit/audit.model.js';
import { Case } from '../../src/cases/cases.model.js';
import { Decision } from '../../src/decisions/decisions.model.js';
import { Fund } from '../../src/funds/funds.model.js';
import {
  batchAction,
  csvOf,
  importTet,
  listRow,
  payInFull,
  tetFields,
  uploadList,
  type ImportView,
} from './batch-fixtures.js';

const NAMES = ['Nguyễn Thị Hường', 'Đặng Văn Kỷ', 'Lê Thị Ẩn', 'Trần Văn Ổn', 'Phạm Thị Ỹ', 'Hoàng Văn Ước'];

interface BatchSummary {
  cases: unknown[];
  caseCount: number;
  statusCounts: Record<string, number>;
  byStatus: Record<
    string,
    { count: number; requestedAmount: number; proposedAmount: number; approvedAmount: number; disbursedAmount: number }
  >;
  totals: { requested: number };
}

describe('batches: actions', function () {
  let world: CaseWorld;
  let fundId: string;

  before(async () => {
    world = await caseWorld();
    fundId = allocationsFor(world.province.id, 1)[0]!.fundId;
  });

  async function submittedBatch(count: number): Promise<ImportView> {
    const imported = await importTet(
      world,
      NAMES.slice(0, count).map((fullName) => listRow({ fullName })),
    );
    await batchAction(world.sessions.officer, imported.batch.id, 'submit');
    return imported;
  }

  it('when a Tết list is uploaded, fixed, submitted, verified, approved and paid, then every member is in one decision and paid', async function () {
    // Six list actions, each now stored and run as a job (SPEC §14), a PDF and six payments: slow on a busy machine.
    this.timeout(60_000);
    const s = world.sessions;
    // The officer's first upload: two rows are wrong and reported; the rest become drafts.
    const rows = NAMES.map((fullName) => listRow({ fullName }));
    const broken = [
      rows[0]!,
      listRow({ fullName: rows[1]![0], citizenId: '04208500', amount: rows[1]![6] }),
      rows[2]!,
      rows[3]!,
      listRow({ fullName: rows[4]![0], citizenId: rows[4]![1], dateOfBirth: '31/06/1980' }),
      rows[5]!,
    ];
    const first = await arrange<ImportView>(
      uploadList(s.officer, csvOf(broken, { delimiter: ';' }), 'Danh sách Tết.csv', tetFields(world)),
    );
    expect(first.rejectedRows.map((r) => r.row)).to.deep.equal([3, 6]);
    // The fixed rows as a second list of their own.
    const second = await importTet(world, [rows[1]!, rows[4]!]);
    expect(second.counts.created).to.equal(2);

    for (const batch of [first, second]) {
      const submitted = await batchAction(s.officer, batch.batch.id, 'submit');
      expect(submitted.counts.failed, JSON.stringify(submitted.results)).to.equal(0);
      const verified = await batchAction(s.verifier, batch.batch.id, 'verify', { note: 'Đã rà soát danh sách' });
      expect(verified.results.every((r) => r.status === 'verified')).to.equal(true);
    }
    const approvedFirst = await batchAction(s.approver, first.batch.id, 'approve', {
      fundId,
      signerName: 'Nguyễn Văn Danh',
      signerTitle: 'CHỦ TỊCH',
    });
    expect(approvedFirst.counts).to.deep.equal({ ok: 4, failed: 0, excluded: 0, skipped: 0 });
    expect(approvedFirst.decision).to.include({ caseCount: 4, totalAmount: 4_000_000 });
    const approvedSecond = await batchAction(s.approver, second.batch.id, 'approve', { fundId });
    expect(approvedSecond.decision!.caseCount).to.equal(2);

    const stored = await Case.find({ batchId: { $in: [first.batch.id, second.batch.id] } }).lean();
    expect(stored).to.have.length(6);
    expect(
      new Set(stored.filter((c) => String(c.batchId) === first.batch.id).map((c) => String(c.decisionId))),
    ).to.deep.equal(new Set([approvedFirst.decision!.id]));
    const { bytes } = await downloadPdf(s.approver, approvedFirst.decision!.id);
    const text = flat(pdfText(bytes));
    for (const name of [NAMES[0], NAMES[2], NAMES[3], NAMES[5]]) expect(text).to.include(name);
    expect(text).to.include('4.000.000');

    for (const c of stored) await payInFull(s.accountant, String(c._id), c.approvedAmount!, fundId);
    const detail = await arrange<{ statusCounts: Record<string, number>; totals: { disbursed: number } }>(
      s.officer.get(`/api/v1/batches/${first.batch.id}`),
      200,
    );
    expect(detail.statusCounts).to.deep.equal({ disbursed: 4 });
    expect(detail.totals.disbursed).to.equal(4_000_000);
  });

  it('when a list is approved with one case excluded and the fund runs out part-way, then the others are approved and reported one by one', async () => {
    const s = world.sessions;
    const small = await arrange<{ id: string }>(
      s.accountant.post('/api/v1/funds', {
        code: unique('NHO'),
        name: 'Quỹ nhỏ (kiểm thử)',
        kind: 'sponsor',
        sponsorName: 'Nhà tài trợ',
        year: 2026,
        allocated: 2_500_000,
      }),
    );
    const imported = await submittedBatch(4);
    await batchAction(s.verifier, imported.batch.id, 'verify');
    const [excluded] = imported.caseIds;
    const result = await batchAction(s.approver, imported.batch.id, 'approve', {
      fundId: small.id,
      exclude: [{ caseId: excluded, reason: 'Chờ xác minh lại hoàn cảnh' }],
    });
    expect(result.counts).to.deep.equal({ ok: 2, failed: 1, excluded: 1, skipped: 0 });
    expect(result.results.find((r) => r.caseId === excluded)).to.include({
      outcome: 'excluded',
      status: 'verified',
      reason: 'Chờ xác minh lại hoàn cảnh',
    });
    expect(result.results.find((r) => r.outcome === 'failed')!.problem!.code).to.equal('INSUFFICIENT_FUNDS');
    expect(result.decision).to.include({ caseCount: 2, totalAmount: 2_000_000 });

    const fund = await Fund.findById(small.id).lean();
    expect(fund).to.include({ committed: 2_000_000, available: 500_000 });
    const decision = await Decision.findById(result.decision!.id).lean();
    const okIds = result.results
      .filter((r) => r.outcome === 'ok')
      .map((r) => r.caseId)
      .sort();
    expect(decision!.caseIds.map(String).sort()).to.deep.equal(okIds);
    const stored = await Case.find({ batchId: imported.batch.id }).lean();
    expect(
      stored
        .filter((c) => c.status === 'approved')
        .map((c) => String(c._id))
        .sort(),
    ).to.deep.equal(okIds);
    expect(stored.filter((c) => c.status === 'verified')).to.have.length(2);
  });

  it('when a list is approved after one case was set aside at verification and another already rejected, then those two are skipped as they stand, not failed', async () => {
    const s = world.sessions;
    const imported = await submittedBatch(4);
    const [setAside, rejected] = imported.caseIds as [string, string];
    await batchAction(s.verifier, imported.batch.id, 'verify', {
      exclude: [{ caseId: setAside, reason: 'Chờ xác minh lại hoàn cảnh gia đình' }],
    });
    const view = await readCase(s.verifier, rejected);
    await arrange(
      s.verifier.post(`/api/v1/cases/${rejected}/reject`, { revision: view.revision, reason: REASON }),
      200,
    );
    const before = await Case.find({ _id: { $in: [setAside, rejected] } })
      .sort({ code: 1 })
      .lean();

    const result = await batchAction(s.approver, imported.batch.id, 'approve', { fundId });
    expect(result.counts).to.deep.equal({ ok: 2, failed: 0, excluded: 0, skipped: 2 });
    const skipped = result.results.filter((r) => r.outcome === 'skipped').sort((a, b) => a.code.localeCompare(b.code));
    expect(skipped.map((r) => [r.caseId, r.status])).to.deep.equal([
      [setAside, 'submitted'],
      [rejected, 'rejected'],
    ]);
    expect(skipped.every((r) => r.reason?.includes('không ở bước của thao tác này'))).to.equal(true);
    // Skipped cases are left exactly as they were: no history entry, no revision, no fund commitment.
    const after = await Case.find({ _id: { $in: [setAside, rejected] } })
      .sort({ code: 1 })
      .lean();
    expect(after.map((c) => [c.status, c.revision, c.history.length])).to.deep.equal(
      before.map((c) => [c.status, c.revision, c.history.length]),
    );
    const decision = await Decision.findById(result.decision!.id).lean();
    expect(decision!.caseIds).to.have.length(2);
    const recorded = await arrange<{
      actions: { action: string; ok: number; failed: number; excluded: number; skipped: number }[];
    }>(s.approver.get(`/api/v1/batches/${imported.batch.id}`), 200);
    expect(recorded.actions.at(-1)).to.include({ action: 'approve', ok: 2, failed: 0, excluded: 0, skipped: 2 });
  });

  it('when a case is left out of a batch action with a reason, then its history and the audit log say so and it keeps its status and revision', async () => {
    const s = world.sessions;
    const imported = await submittedBatch(3);
    const [left, other] = imported.caseIds as [string, string];
    const before = await Case.findById(left).lean();
    const reason = 'Chờ xác minh lại hoàn cảnh gia đình';
    const result = await batchAction(s.verifier, imported.batch.id, 'verify', { exclude: [{ caseId: left, reason }] });
    expect(result.counts).to.deep.equal({ ok: 2, failed: 0, excluded: 1, skipped: 0 });

    const stored = await Case.findById(left).lean();
    expect(stored).to.include({ status: 'submitted', revision: before!.revision });
    const note = stored!.history.at(-1)!;
    expect(note).to.include({ action: 'exclude', from: 'submitted', to: 'submitted' });
    expect(note.by).to.deep.include({ id: s.verifier.user.id });
    expect(note.note).to.include(reason).and.include('verify');
    expect(note.at.getTime()).to.be.within(Date.now() - 60_000, Date.now());
    const otherStored = await Case.findById(other).lean();
    expect(otherStored!.history.map((h) => h.action)).to.not.include('exclude');
    const audit = await AuditEntry.find({ entityId: left, action: 'case.exclude' }).lean();
    expect(audit).to.have.length(1);
    expect(audit[0]!.details).to.deep.include({ batchId: imported.batch.id, batchAction: 'verify', reason });
    expect(audit[0]!.actorId).to.equal(s.verifier.user.id);

    // The case page shows the entry, and the revision the verifier saw before the note still acts.
    const view = await readCase(s.verifier, left);
    expect(view.history.at(-1)).to.include({ action: 'exclude', from: 'submitted', to: 'submitted' });
    await arrange(
      s.verifier.post(`/api/v1/cases/${left}/verify`, { revision: before!.revision, recommendedAmount: 1_000_000 }),
      200,
    );
  });

  it('when a batch verify races single-case actions on the same cases, then each case changes exactly once', async () => {
    const s = world.sessions;
    const imported = await submittedBatch(6);
    const singles = await Promise.all(imported.caseIds.slice(0, 3).map((id) => readCase(s.verifier, id)));
    const [batch, ...single] = await Promise.all([
      s.verifier.post(`/api/v1/batches/${imported.batch.id}/verify`, {}),
      ...singles.map((v, i) =>
        s.verifier.post(
          `/api/v1/cases/${v.id}/${i === 0 ? 'reject' : 'verify'}`,
          i === 0 ? { revision: v.revision, reason: REASON } : { revision: v.revision, recommendedAmount: 900_000 },
        ),
      ),
    ]);
    expect(batch!.status, JSON.stringify(batch!.body)).to.equal(200);
    const outcomes = new Map<string, string>(
      (batch!.body.results as { caseId: string; outcome: string }[]).map((r) => [r.caseId, r.outcome]),
    );
    for (const [i, view] of singles.entries()) {
      const singleWon = single[i]!.status === 200;
      expect(
        singleWon !== (outcomes.get(view.id) === 'ok'),
        `exactly one side changed case ${view.code}: single ${single[i]!.status} ${String(single[i]!.body.code)}, list ${outcomes.get(view.id)}`,
      ).to.equal(true);
      if (!singleWon) expect(['STALE_REVISION', 'INVALID_TRANSITION']).to.include(single[i]!.body.code);
    }
    const stored = await Case.find({ batchId: imported.batch.id }).lean();
    for (const c of stored) {
      const moves = c.history.filter((h) => ['verify', 'reject'].includes(h.action));
      expect(moves, `case ${c.code} moved once`).to.have.length(1);
      expect(c.revision).to.equal(3);
    }
  });

  it('when lists are listed, then their counts come from their own cases read by id, as stored, never from a query over every case', async () => {
    const s = world.sessions;
    const imported = await submittedBatch(3);
    const first = await readCase(s.verifier, imported.caseIds[0]!);
    await arrange(
      s.verifier.post(`/api/v1/cases/${first.id}/verify`, { revision: first.revision, recommendedAmount: 1_000_000 }),
      200,
    );
    let list: { items: { id: string; statusCounts: Record<string, number> }[] } = { items: [] };
    const sent = await commandsDuring(async () => {
      list = await arrange(s.officer.get('/api/v1/batches?limit=100'), 200);
    });
    const reads = readsOf(sent, 'cases');
    expect(reads.length, 'the page reads cases').to.be.greaterThan(0);
    // Each read of cases names case ids and nothing else: the embedded engine answers it from the `_id` index.
    for (const read of reads) {
      expect(read.name).to.equal('find');
      expect(Object.keys(read.filter as object)).to.deep.equal(['_id']);
    }
    for (const batch of list.items) {
      const stored = await Case.find({ batchId: new Types.ObjectId(batch.id) }, { status: 1 }).lean();
      const expected: Record<string, number> = {};
      for (const c of stored) expected[c.status] = (expected[c.status] ?? 0) + 1;
      expect(batch.statusCounts, `counts of list ${batch.id}`).to.deep.equal(expected);
    }
    expect(list.items.find((b) => b.id === imported.batch.id)?.statusCounts).to.deep.equal({
      verified: 1,
      submitted: 2,
    });
  });

  it('when the list is read or listed, then each case shows its status, and other unions and provinces see nothing', async () => {
    const s = world.sessions;
    const imported = await submittedBatch(2);
    const detail = await arrange<{
      cases: { id: string; status: string; citizenIdMasked: string }[];
      statusCounts: Record<string, number>;
    }>(s.verifier.get(`/api/v1/batches/${imported.batch.id}`), 200);
    expect(detail.cases.map((c) => c.id)).to.deep.equal(imported.caseIds);
    expect(detail.statusCounts).to.deep.equal({ submitted: 2 });
    expect(detail.cases[0]!.citizenIdMasked).to.match(/^\*{8}\d{4}$/);
    const list = await arrange<{ items: { id: string; statusCounts: Record<string, number> }[]; total: number }>(
      s.officer.get('/api/v1/batches?limit=100'),
      200,
    );
    expect(list.items.find((b) => b.id === imported.batch.id)?.statusCounts).to.deep.equal({ submitted: 2 });
    // Lists with a case in given statuses (the accountant's lists with cases waiting for payment).
    const holding = async (statuses: string) =>
      (
        await arrange<{ items: { id: string }[] }>(
          s.officer.get(`/api/v1/batches?caseStatus=${statuses}&limit=100`),
          200,
        )
      ).items.map((b) => b.id);
    expect(await holding('submitted')).to.include(imported.batch.id);
    expect(await holding('approved,partially_disbursed')).to.not.include(imported.batch.id);
    expectProblem(await s.officer.get('/api/v1/batches?caseStatus=paid'), 400, 'VALIDATION_FAILED');
    const sibling = await arrange<{ items: { id: string }[] }>(s.siblingOfficer.get('/api/v1/batches?limit=100'), 200);
    expect(sibling.items.map((b) => b.id)).to.not.include(imported.batch.id);

    const foreign = await caseWorld();
    expectProblem(await s.siblingOfficer.get(`/api/v1/batches/${imported.batch.id}`), 404, 'NOT_FOUND');
    expectProblem(await foreign.sessions.verifier.get(`/api/v1/batches/${imported.batch.id}`), 404, 'NOT_FOUND');
    expectProblem(
      await foreign.sessions.verifier.post(`/api/v1/batches/${imported.batch.id}/verify`, {}),
      404,
      'NOT_FOUND',
    );
    expectProblem(await s.siblingOfficer.post(`/api/v1/batches/${imported.batch.id}/submit`, {}), 404, 'NOT_FOUND');
    expectProblem(await s.officer.get(`/api/v1/batches/${new Types.ObjectId().toHexString()}`), 404, 'NOT_FOUND');
    const untouched = await Case.find({ batchId: imported.batch.id }).lean();
    expect(untouched.every((c) => c.status === 'submitted')).to.equal(true);
  });

  it('when a list is read without its cases and then a page at a time, then counts and sums match the stored cases and pages follow the file', async () => {
    const s = world.sessions;
    const imported = await submittedBatch(6);
    const [a, b, c] = imported.caseIds as [string, string, string];
    // Three of six verified, one with its own recommended amount: the sums by status must follow each case.
    await batchAction(s.verifier, imported.batch.id, 'verify', {
      exclude: imported.caseIds.slice(3).map((caseId) => ({ caseId, reason: REASON })),
      amounts: [{ caseId: b, amount: 700_000 }],
    });
    let summary: BatchSummary | undefined;
    const sent = await commandsDuring(async () => {
      summary = await arrange<BatchSummary>(s.verifier.get(`/api/v1/batches/${imported.batch.id}?cases=none`), 200);
    });
    if (!summary) throw new Error('no summary read');
    // Every row asks 1,000,000 đ; b was verified at 700,000 đ, a and c at what they asked; the other three wait.
    expect(summary.cases).to.deep.equal([]);
    expect(summary.caseCount).to.equal(6);
    expect(summary.statusCounts).to.deep.equal({ verified: 3, submitted: 3 });
    const none = { approvedAmount: 0, disbursedAmount: 0 };
    expect(summary.byStatus).to.deep.equal({
      verified: { count: 3, requestedAmount: 3_000_000, proposedAmount: 2_700_000, ...none },
      submitted: { count: 3, requestedAmount: 3_000_000, proposedAmount: 3_000_000, ...none },
    });
    const stored = await Case.find({ _id: { $in: [a, b, c] } }).lean();
    expect(stored.map((one) => one.recommendedAmount!).sort((x, y) => x - y)).to.deep.equal([
      700_000, 1_000_000, 1_000_000,
    ]);
    expect(summary.totals.requested).to.equal(6_000_000);
    // The cases are read by id (an index on both engines), never by `batchId`, which the engine answers by a scan.
    const caseReads = readsOf(sent, 'cases');
    expect(caseReads.length).to.be.at.least(1);
    expect(caseReads.every((read) => JSON.stringify(read.filter).includes('"_id"'))).to.equal(true);
    expect(caseReads.some((read) => JSON.stringify(read.filter).includes('batchId'))).to.equal(false);

    const pages = [];
    for (let page = 1; page <= 3; page += 1) {
      const one = await arrange<{
        items: { id: string; status: string }[];
        total: number;
        page: number;
        limit: number;
      }>(s.officer.get(`/api/v1/batches/${imported.batch.id}/cases?page=${page}&limit=4`), 200);
      expect(one).to.include({ total: 6, page, limit: 4 });
      pages.push(one.items);
    }
    expect(pages.map((items) => items.length)).to.deep.equal([4, 2, 0]);
    expect(pages.flat().map((one) => one.id)).to.deep.equal(imported.caseIds);
    const whole = await arrange<{ cases: unknown[] }>(s.officer.get(`/api/v1/batches/${imported.batch.id}`), 200);
    expect(pages.flat()).to.deep.equal(whole.cases);

    for (const query of ['limit=0', 'limit=201', 'page=0', 'page=abc', 'sort=code', 'limit[$gt]=1'])
      expectProblem(
        await s.officer.get(`/api/v1/batches/${imported.batch.id}/cases?${query}`),
        400,
        'VALIDATION_FAILED',
      );
    expectProblem(await s.officer.get(`/api/v1/batches/${imported.batch.id}?cases=some`), 400, 'VALIDATION_FAILED');
    expectProblem(await s.siblingOfficer.get(`/api/v1/batches/${imported.batch.id}/cases`), 404, 'NOT_FOUND');
    expectProblem(await s.officer.get(`/api/v1/batches/${new Types.ObjectId().toHexString()}/cases`), 404, 'NOT_FOUND');
  });

  it('when a batch action has the wrong role or a bad body, then 403 or 400 and nothing changes', async () => {
    const s = world.sessions;
    const imported = await submittedBatch(2);
    const id = imported.batch.id;
    expectProblem(await s.officer.post(`/api/v1/batches/${id}/approve`, { fundId }), 403, 'FORBIDDEN');
    expectProblem(await s.approver.post(`/api/v1/batches/${id}/submit`, {}), 403, 'FORBIDDEN');
    const bad: [string, Record<string, unknown>, string][] = [
      [
        'verify',
        { exclude: [{ caseId: new Types.ObjectId().toHexString(), reason: 'Không thuộc danh sách' }] },
        'exclude.0.caseId',
      ],
      ['verify', { exclude: [{ caseId: imported.caseIds[0] }] }, 'exclude.0.reason'],
      ['verify', { recommendedAmount: -5 }, 'recommendedAmount'],
      ['verify', { amounts: [{ caseId: imported.caseIds[0], amount: 'nhiều' }] }, 'amounts.0.amount'],
      ['return', {}, 'reason'],
      ['reject', { reason: 'x' }, 'reason'],
      ['verify', { status: 'approved' }, 'status'],
    ];
    for (const [action, body, path] of bad) {
      const res = await (
        action === 'return' || action === 'reject' || action === 'verify' ? s.verifier : s.approver
      ).post(`/api/v1/batches/${id}/${action}`, body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(
        res.body.errors.map((e: { path: string }) => e.path),
        JSON.stringify(body),
      ).to.include(path);
    }
    const verified = await batchAction(s.verifier, id, 'verify');
    expect(verified.counts.ok).to.equal(2);
    const foreign = await caseWorld();
    const foreignFund = allocationsFor(foreign.province.id, 1)[0]!.fundId;
    for (const [body, path] of [
      [{}, 'value'],
      [{ fundId, fundShares: [{ fundId, percent: 100 }] }, 'value'],
      [{ fundShares: [{ fundId, percent: 60 }] }, 'fundShares'],
      [{ fundId: foreignFund }, 'fundId'],
      [{ fundId, decisionDate: '2999-01-01' }, 'decisionDate'],
    ] as const) {
      const res = await s.approver.post(`/api/v1/batches/${id}/approve`, body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(res.body.errors), JSON.stringify(body)).to.include(path);
    }
    expectProblem(await s.approver.post('/api/v1/batches/nope/approve', { fundId }), 400, 'VALIDATION_FAILED');
    const stored = await Case.find({ batchId: id }).lean();
    expect(stored.every((c) => c.status === 'verified' && !c.fundAllocations?.length)).to.equal(true);
  });

  it('when the list is split between two funds by percent, then each case draws its share and the last fund takes the rounding', async () => {
    const s = world.sessions;
    const other = await arrange<{ id: string }>(
      s.accountant.post('/api/v1/funds', {
        code: unique('TC'),
        name: 'Tài chính công đoàn (kiểm thử)',
        kind: 'union_finance',
        year: 2026,
        allocated: 100_000_000,
      }),
    );
    const campaign = await createCampaign(s.approver, 'tet_gift');
    const imported = await arrange<ImportView>(
      uploadList(s.officer, csvOf([listRow({ amount: '999.999' })]), 'x.csv', {
        programCode: 'tet_gift',
        campaignId: campaign.id,
      }),
    );
    await batchAction(s.officer, imported.batch.id, 'submit');
    await batchAction(s.verifier, imported.batch.id, 'verify');
    const result = await batchAction(s.approver, imported.batch.id, 'approve', {
      fundShares: [
        { fundId, percent: 30 },
        { fundId: other.id, percent: 70 },
      ],
    });
    expect(result.counts.ok).to.equal(1);
    const stored = await Case.findById(imported.caseIds[0]).lean();
    expect(stored!.fundAllocations.map((a) => a.amount)).to.deep.equal([299_999, 700_000]);
  });
});
