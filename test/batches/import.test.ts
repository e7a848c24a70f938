/**
 * Importing a list (SPEC §5 Batches): formats, row rules with the file's row numbers, members matched or
 * created, duplicates in the file and in the campaign, the cap, and files that must be refused whole.
 */
import { expect } from 'chai';
import JSZip from 'jszip';
import mongoose from 'mongoose';
import { arrange, expectProblem } from '../support/api.js';
import { commandsDuring, readsOf } from '../support/db-reads.js';
import { uniqueCitizenId } from '../support/factory.js';
import { allocationsFor } from '../support/funds.js';
import { caseBody, caseWorld, createMember, driveTo, newCase, type CaseWorld } from '../cases/case-fixtures.js';
import { AuditEntry } from '../../src/audit/audit.model.js';
import { Batch } from '../../src/batches/batches.model.js';
import { Case } from '../../src/cases/cases.model.js';
import { ConflictError } from '../../src/core/errors.js';
import type { Principal } from '../../src/core/scope.js';
import { createMembers } from '../../src/members/index.js';
import { Member } from '../../src/members/members.model.js';
import {
  citizenIdOf,
  csvOf,
  EN_HEADER,
  importTet,
  listRow,
  payInFull,
  tetFields,
  uploadList,
  xlsxOf,
  type ImportView,
} from './batch-fixtures.js';

describe('batches: import', function () {
  let world: CaseWorld;

  before(async () => {
    world = await caseWorld();
  });

  it('when a list mixes valid and invalid rows, then the valid ones become drafts of one batch and every other row is reported with its row number', async () => {
    const sibling = await createMember(world.sessions.siblingOfficer, world.sibling.id);
    const good = [
      listRow(),
      listRow({ amount: '' }),
      listRow({ gender: 'Nam', fullName: 'Đặng Văn Kỷ', dateOfBirth: '1979-02-28', amount: '800000' }),
    ];
    const dupe = listRow();
    const rows = [
      good[0]!, // row 2
      listRow({ citizenId: '12345' }), // row 3
      good[1]!, // row 4
      listRow({ dateOfBirth: '30/02/1990' }), // row 5
      dupe, // row 6
      [...dupe], // row 7: same CCCD as row 6
      listRow({ amount: '1.500.000' }), // row 8: over the Tết cap
      listRow({ citizenId: sibling.citizenId, fullName: sibling.fullName }), // row 9: another union's member
      listRow({ amount: '=1000000*2' }), // row 10: a formula
      good[2]!, // row 11
    ];
    const res = await uploadList(world.sessions.officer, csvOf(rows, { delimiter: ';' }), 'tet.csv', tetFields(world));
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const body = res.body as ImportView;
    expect(body.counts).to.deep.equal({ rows: 10, created: 4, rejected: 6 });
    expect(body.rejectedRows.map((r) => r.row)).to.deep.equal([3, 5, 7, 8, 9, 10]);
    const reasonOf = (row: number) => body.rejectedRows.find((r) => r.row === row)!.reasons.join(' ');
    expect(reasonOf(3)).to.match(/12 chữ số/);
    expect(reasonOf(5)).to.match(/Ngày sinh không hợp lệ/);
    expect(reasonOf(7)).to.match(/trùng với dòng 6/);
    expect(reasonOf(8)).to.match(/vượt mức tối đa/);
    expect(reasonOf(9)).to.match(/công đoàn cơ sở khác/);
    expect(reasonOf(10)).to.match(/công thức/);

    const stored = await Case.find({ batchId: body.batch.id }).lean();
    expect(stored.map((c) => String(c._id)).sort()).to.deep.equal([...body.caseIds].sort());
    expect(
      stored.every(
        (c) => c.status === 'draft' && c.programCode === 'tet_gift' && String(c.campaignId) === world.campaigns.tet.id,
      ),
    ).to.equal(true);
    const byCitizen = new Map(stored.map((c) => [c.memberCitizenId, c]));
    expect(byCitizen.get(citizenIdOf(good[1]!))!.requestedAmount, 'an empty amount takes the cap').to.equal(1_000_000);
    expect(byCitizen.get(citizenIdOf(good[2]!))!.requestedAmount).to.equal(800_000);
    const kỷ = await Member.findOne({ citizenId: citizenIdOf(good[2]!) }).lean();
    expect(kỷ).to.include({
      fullName: 'Đặng Văn Kỷ',
      gender: 'male',
      dateOfBirth: '1979-02-28',
      joinedUnionAt: '2015-03-01',
    });
    expect(String(kỷ!.orgId)).to.equal(world.grassroots.id);
    expect(await Member.countDocuments({ citizenId: citizenIdOf(dupe) })).to.equal(1);
  });

  it('when the list is an XLSX with English headers, numeric CCCD cells, real dates and a formula, then it reads what the union sees', async () => {
    const withZero = `0${String(Date.now()).slice(-11)}`;
    const rows = [
      [
        'Lê Thị Ẩn',
        Number(withZero),
        new Date(Date.UTC(1990, 5, 15)),
        'female',
        '2018-01-02',
        '0987654321',
        1_000_000,
        'Ốm đau dài ngày',
      ],
      [
        'Phạm Văn Ổn',
        '0' + String(Date.now() + 7).slice(-11),
        '01/01/1980',
        'male',
        '01/01/2000',
        '',
        { formula: 'B2', result: 5 },
        '',
      ],
    ];
    const res = await uploadList(world.sessions.officer, await xlsxOf(rows, EN_HEADER), 'list.xlsx', tetFields(world));
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const body = res.body as ImportView;
    expect(body.counts).to.deep.equal({ rows: 2, created: 1, rejected: 1 });
    expect(body.rejectedRows[0]).to.include({ row: 3 });
    expect(body.rejectedRows[0]!.reasons.join(' ')).to.match(/Số tiền.*công thức/);
    const member = await Member.findOne({ citizenId: withZero }).lean();
    expect(member, 'the leading zero Excel dropped is restored').to.not.equal(null);
    expect(member).to.include({ fullName: 'Lê Thị Ẩn', dateOfBirth: '1990-06-15', gender: 'female' });
  });

  it('when an XLSX holds more Vietnamese text than one inflated chunk, then every name and situation is stored as written', async () => {
    // Situations of three-byte letters (about 12 kB each): the sheet's text spans many chunks, and the
    // streaming reader once turned a letter cut by a chunk boundary into U+FFFD.
    const rows = Array.from({ length: 40 }, (_, i) =>
      listRow({
        fullName: `Nguyễn Thị Hường ${'ưở'.repeat(1 + (i % 9))}`,
        situation: `Hoàn cảnh ${i}: ${'ườ'.repeat(2000)}`,
      }),
    );
    const res = await uploadList(world.sessions.officer, await xlsxOf(rows), 'tieng-viet.xlsx', tetFields(world));
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect((res.body as ImportView).counts).to.deep.equal({ rows: 40, created: 40, rejected: 0 });
    const stored = await Case.find({ batchId: (res.body as ImportView).batch.id })
      .sort({ code: 1 })
      .lean();
    expect(stored.map((c) => c.situation)).to.deep.equal(rows.map((row) => row[7]));
    const members = await Member.find({ citizenId: { $in: rows.map(citizenIdOf) } }).lean();
    expect(members.map((m) => m.fullName).sort()).to.deep.equal(rows.map((row) => String(row[0])).sort());
  });

  it("when a list is imported, then its cases take consecutive codes in the file's order, each with the create history and audit of a single case", async () => {
    const rows = ['Nguyễn Thị Hường', 'Đặng Văn Kỷ', 'Lê Thị Ẩn'].map((fullName) => listRow({ fullName }));
    const body = await importTet(world, rows);
    const stored = await Case.find({ _id: { $in: body.caseIds } }).lean();
    const byId = new Map(stored.map((c) => [String(c._id), c]));
    const inOrder = body.caseIds.map((id) => byId.get(id)!);
    expect(inOrder.map((c) => c.memberCitizenId)).to.deep.equal(rows.map(citizenIdOf));
    const sequences = inOrder.map((c) => Number(/^TET-\d{4}-(\d{6})$/.exec(c.code)![1]));
    expect(sequences).to.deep.equal([sequences[0]!, sequences[0]! + 1, sequences[0]! + 2]);
    for (const c of inOrder) {
      expect(c).to.include({ status: 'draft', revision: 1, claimKey: null, memberSnapshot: null });
      expect(String(c.batchId)).to.equal(body.batch.id);
      expect(c.history.map((h) => [h.action, h.from, h.to, h.by!.id])).to.deep.equal([
        ['create', null, 'draft', world.sessions.officer.user.id],
      ]);
    }
    const members = await Member.find({ citizenId: { $in: rows.map(citizenIdOf) } }).lean();
    const audits = await AuditEntry.find({
      entityId: { $in: [...body.caseIds, ...members.map((m) => String(m._id))] },
    }).lean();
    expect(
      audits
        .filter((a) => a.action === 'case.create')
        .map((a) => a.entityId)
        .sort(),
    ).to.deep.equal([...body.caseIds].sort());
    expect(audits.filter((a) => a.action === 'member.create')).to.have.length(3);
    expect(audits.every((a) => a.actorId === world.sessions.officer.user.id)).to.equal(true);
    // A single case made afterwards takes the next code: the list reserved exactly its own.
    const next = await newCase(world, 'tet_gift');
    expect(Number(next.view.code.slice(-6))).to.be.greaterThan(sequences[2]!);
  });

  it('when a list is imported, then its members and drafts are stored field for field as the single member and single case are', async () => {
    const fields = {
      fullName: 'Nguyễn Thị Lan',
      gender: 'female',
      dateOfBirth: '1985-04-12',
      joinedUnionAt: '2015-03-01',
      phone: '0912345678',
    } as const;
    const row = listRow({ ...fields, gender: 'Nữ', dateOfBirth: '12/04/1985', joinedUnionAt: '01/03/2015' });
    const body = await importTet(world, [row]);
    const singleCase = await newCase(world, 'tet_gift', {
      member: { ...fields, address: undefined, bankAccount: undefined },
    });
    // The raw stored documents, as the engine keeps them (no mongoose casting on the way back).
    const db = mongoose.connection.db!;
    const members = db.collection('members');
    const cases = db.collection('cases');
    const imported = {
      member: await members.findOne({ citizenId: citizenIdOf(row) }),
      case: await cases.findOne({ _id: new mongoose.Types.ObjectId(body.caseIds[0]) }),
    };
    const alone = {
      member: await members.findOne({ _id: new mongoose.Types.ObjectId(singleCase.member.id) }),
      case: await cases.findOne({ _id: new mongoose.Types.ObjectId(singleCase.view.id) }),
    };
    // Ids, instants, the code and the CCCD differ by nature; everything else, keys and types included, is the same.
    const shape = (value: unknown): unknown => {
      if ((value as { _bsontype?: string } | null)?._bsontype === 'ObjectId') return 'ObjectId';
      if (value instanceof Date) return 'Date';
      if (Array.isArray(value)) return value.map(shape);
      if (value && typeof value === 'object')
        return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, shape(field)]));
      return value;
    };
    const own = { citizenId: 'x', memberCitizenId: 'x', code: 'x', batchId: 'x' };
    expect(shape({ ...imported.member, ...own })).to.deep.equal(shape({ ...alone.member, ...own }));
    // A single creation owes its audit entry until the service's round has seen it (cases/creation-audit.ts); a list's
    // drafts are audited with their chunk and never owe it.
    expect(alone.case!.creationAuditDue).to.equal(singleCase.view.id);
    expect(imported.case).to.not.have.property('creationAuditDue');
    const { creationAuditDue: _owed, ...aloneCase } = alone.case!;
    expect(shape({ ...imported.case, ...own })).to.deep.equal(shape({ ...aloneCase, ...own }));
    expect(imported.case!.batchId).to.deep.equal(new mongoose.Types.ObjectId(body.batch.id));
    expect(alone.case!.batchId).to.equal(null);
  });

  it('when two lists naming the same new member are uploaded at once, then one member exists and each list has a draft for them or says why not', async () => {
    const shared = listRow({ fullName: 'Phạm Thị Ỹ' });
    const [a, b] = await Promise.all([
      uploadList(world.sessions.officer, csvOf([shared, listRow()]), 'a.csv', tetFields(world)),
      uploadList(world.sessions.officer, csvOf([listRow(), shared]), 'b.csv', tetFields(world)),
    ]);
    expect([a.status, b.status], JSON.stringify([a.body, b.body])).to.deep.equal([201, 201]);
    const members = await Member.find({ citizenId: citizenIdOf(shared) }).lean();
    expect(members).to.have.length(1);
    const drafts = await Case.find({ memberCitizenId: citizenIdOf(shared) }).lean();
    expect(drafts.every((c) => String(c.memberId) === String(members[0]!._id))).to.equal(true);
    const refused = [a.body, b.body].flatMap((body: ImportView) => body.rejectedRows);
    expect(drafts.length + refused.length).to.equal(2);
    for (const row of refused) expect(row.reasons.join(' ')).to.include(drafts[0]!.code);
  });

  it('when a CCCD of the list is taken between the screening and the creation, then that one answers the conflict createMember gives and the rest are created', async () => {
    const taken = await createMember(world.sessions.siblingOfficer, world.sibling.id);
    const officer = world.sessions.officer.user;
    const principal: Principal = {
      userId: officer.id,
      username: officer.username,
      fullName: 'Cán bộ',
      orgId: world.grassroots.id,
      orgPath: world.grassroots.orgPath,
      roles: ['grassroots_officer'],
    };
    const input = (citizenId: string) => ({
      fullName: 'Trần Văn Ổn',
      dateOfBirth: '1980-01-02',
      gender: 'male' as const,
      citizenId,
      joinedUnionAt: '2010-05-01',
    });
    const fresh = [input(uniqueCitizenId()), input(uniqueCitizenId())];
    const results = await createMembers(
      principal,
      { userId: officer.id, name: 'Cán bộ', requestId: 'test' },
      world.grassroots.id,
      [fresh[0]!, input(taken.citizenId), fresh[1]!],
    );
    expect(results[1]).to.be.instanceOf(ConflictError);
    expect((results[1] as ConflictError).detail).to.match(/Số CCCD đã có trong hệ thống/);
    const stored = await Member.find({ citizenId: { $in: fresh.map((f) => f.citizenId) } }).lean();
    expect(stored.map((m) => String(m._id)).sort()).to.deep.equal(
      [results[0], results[2]].map((m) => String((m as { _id: unknown })._id)).sort(),
    );
    expect(await Member.countDocuments({ citizenId: taken.citizenId })).to.equal(1);
    expect(
      await AuditEntry.countDocuments({ action: 'member.create', entityId: { $in: stored.map((m) => String(m._id)) } }),
    ).to.equal(2);
  });

  it("when a list names members the union has, then the campaign's cases are read once for the import, not once per chunk, and a member with a case there is still refused naming it", async () => {
    const officer = world.sessions.officer;
    const principal: Principal = {
      userId: officer.user.id,
      username: officer.user.username,
      fullName: 'Cán bộ',
      orgId: world.grassroots.id,
      orgPath: world.grassroots.orgPath,
      roles: ['grassroots_officer'],
    };
    // Two chunks of rows (250 each), every row a member the union has; the 300th has a draft in the campaign.
    const rows = Array.from({ length: 500 }, () => listRow({ fullName: 'Võ Thị Thu' }));
    await createMembers(
      principal,
      { userId: officer.user.id, name: 'Cán bộ', requestId: 'test' },
      world.grassroots.id,
      rows.map((row) => ({
        fullName: 'Võ Thị Thu',
        dateOfBirth: '1985-04-12',
        gender: 'female' as const,
        citizenId: citizenIdOf(row),
        joinedUnionAt: '2015-03-01',
      })),
    );
    const holder = (await Member.findOne({ citizenId: citizenIdOf(rows[299]!) }).lean())!;
    const earlier = await arrange<{ code: string }>(
      officer.post('/api/v1/cases', caseBody(world, 'tet_gift', String(holder._id))),
    );
    let body: ImportView | undefined;
    const sent = await commandsDuring(async () => (body = await importTet(world, rows)));
    expect(body!.counts).to.deep.equal({ rows: 500, created: 499, rejected: 1 });
    expect(body!.rejectedRows.map((r) => [r.row, r.reasons])).to.deep.equal([
      [301, [`Đoàn viên đã có hồ sơ ${earlier.code} trong đợt này`]],
    ]);
    // The campaign's cases once (for the members with a case there), then the one member found in it, with its case.
    const campaignReads = readsOf(sent, 'cases').filter((c) => (c.filter as { campaignId?: unknown }).campaignId);
    expect(
      campaignReads.map((c) => (c.filter as { memberId?: { $in: unknown[] } }).memberId?.$in.length ?? 'campaign'),
    ).to.deep.equal(['campaign', 1]);
  });

  it('when a member already has a paid case in the campaign, then their row is refused and names that case', async () => {
    const { member, view } = await newCase(world, 'tet_gift');
    const approved = await driveTo(world, view, 'approved');
    await payInFull(world.sessions.accountant, approved.id, 1_000_000, allocationsFor(world.province.id, 1)[0]!.fundId);
    const stored = await Case.findById(approved.id).lean();
    expect(stored!.status).to.equal('disbursed');

    const fresh = listRow();
    const body = await importTet(world, [listRow({ citizenId: member.citizenId, fullName: member.fullName }), fresh]);
    expect(body.counts).to.deep.equal({ rows: 2, created: 1, rejected: 1 });
    expect(body.rejectedRows[0]!.row).to.equal(2);
    expect(body.rejectedRows[0]!.reasons[0]).to.include(approved.code);
  });

  it('when the case counter stands behind codes already given (a restore), then every row still becomes a case, under a code of its own', async () => {
    const first = await importTet(world, [listRow(), listRow(), listRow()]);
    const year = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(new Date());
    const counters = mongoose.connection.db!.collection<{ _id: string; value: number }>('counters');
    await counters.updateOne({ _id: `case:TET:${year}` }, { $inc: { value: -2 } });
    const second = await importTet(world, [listRow(), listRow(), listRow()]);
    expect(second.counts, JSON.stringify(second)).to.deep.include({ created: 3, rejected: 0 });
    const stored = await Case.find(
      { batchId: { $in: [first.batch.id, second.batch.id] } },
      { code: 1, batchId: 1 },
    ).lean();
    expect(stored).to.have.length(6);
    expect(new Set(stored.map((c) => c.code)).size, 'six different codes').to.equal(6);
    const made = await Case.find({ batchId: second.batch.id }).lean();
    expect(made.map((c) => String(c._id)).sort()).to.deep.equal([...second.caseIds].sort());
    expect(
      await AuditEntry.countDocuments({ action: 'case.create', entityId: { $in: made.map((c) => String(c._id)) } }),
    ).to.equal(3);
  });

  it('when the same file comes twice, then the second is 409 naming the first batch and creates nothing', async () => {
    const bytes = csvOf([listRow(), listRow()]);
    const first = await uploadList(world.sessions.officer, bytes, 'a.csv', tetFields(world));
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    const casesBefore = await Case.countDocuments({});
    const again = await uploadList(world.sessions.officer, bytes, 'b-renamed.csv', tetFields(world));
    expectProblem(again, 409, 'CONFLICT');
    expect(again.body.batchId).to.equal(first.body.batch.id);
    expect(await Case.countDocuments({})).to.equal(casesBefore);
  });

  it('when no row is valid, then 400 lists every row and nothing is stored (the upload kept for the job is gone too), and the corrected file is then accepted', async () => {
    const rows = [listRow({ gender: 'khác' }), listRow({ joinedUnionAt: '01/01/1970' })];
    // The rows are checked by the import's job, after the file was stored in GridFS: the refusal removes it.
    const stored = async () => [
      await Batch.countDocuments({}),
      await Case.countDocuments({}),
      await mongoose.connection.db!.collection('list_uploads.files').countDocuments({}),
      await mongoose.connection.db!.collection('list_uploads.chunks').countDocuments({}),
    ];
    const before = await stored();
    const res = await uploadList(world.sessions.officer, csvOf(rows), 'x.csv', tetFields(world));
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.rejectedRows.map((r: { row: number }) => r.row)).to.deep.equal([2, 3]);
    expect(res.body.rejectedRows[1].reasons.join(' ')).to.match(/sau ngày sinh/);
    expect(await stored()).to.deep.equal(before);
    expect(await Member.countDocuments({ citizenId: { $in: rows.map(citizenIdOf) } })).to.equal(0);
    const fixed = await importTet(world, [listRow({ citizenId: rows[0]![1] }), listRow({ citizenId: rows[1]![1] })]);
    expect(fixed.counts).to.deep.equal({ rows: 2, created: 2, rejected: 0 });
  });

  describe('files refused whole', () => {
    /** Batches, cases, members, and the uploads kept for import jobs (GridFS `list_uploads`). */
    async function expectNothingStored(run: () => Promise<void>) {
      const uploads = mongoose.connection.db!.collection('list_uploads.files');
      const counts = async () => [
        await Batch.countDocuments({}),
        await Case.countDocuments({}),
        await Member.countDocuments({}),
        await uploads.countDocuments({}),
      ];
      const before = await counts();
      await run();
      expect(await counts()).to.deep.equal(before);
    }

    it("when the headers are not the template's, then 400 names the unknown and the missing columns", async () => {
      await expectNothingStored(async () => {
        const res = await uploadList(
          world.sessions.officer,
          csvOf([listRow()], {
            header: ['Tên', 'CMND', 'Ngày sinh', 'Giới tính', 'Ngày vào công đoàn', 'SĐT', 'Tiền', 'Ghi chú'],
          }),
          'h.csv',
          tetFields(world),
        );
        expectProblem(res, 400, 'VALIDATION_FAILED');
        const messages = res.body.errors.map((e: { message: string }) => e.message).join(' | ');
        expect(messages)
          .to.include('Cột "Tên" không có trong mẫu')
          .and.include('Thiếu cột "Họ và tên"')
          .and.include('Thiếu cột "Số CCCD"');
      });
    });

    it('when binary garbage is named .csv or .xlsx, or a zip is not a workbook, then 415', async () => {
      const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
      const zip = new JSZip();
      zip.file('hello.txt', 'không phải bảng tính');
      const notWorkbook = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
      await expectNothingStored(async () => {
        for (const [bytes, name] of [
          [garbage, 'list.csv'],
          [garbage, 'list.xlsx'],
          [notWorkbook, 'list.xlsx'],
        ] as const) {
          expectProblem(
            await uploadList(world.sessions.officer, bytes, name, tetFields(world)),
            415,
            'UNSUPPORTED_MEDIA_TYPE',
          );
        }
      });
    });

    it('when an XLSX inflates far beyond any list (a zip bomb), then 413 before it is parsed', async () => {
      const zip = new JSZip();
      zip.file('[Content_Types].xml', '<?xml version="1.0"?><Types/>');
      zip.file('xl/worksheets/sheet1.xml', Buffer.alloc(80 * 1024 * 1024, 0x20));
      const bomb = await zip.generateAsync({
        type: 'nodebuffer',
        compression: 'DEFLATE',
        compressionOptions: { level: 9 },
      });
      expect(bomb.length).to.be.below(1024 * 1024);
      await expectNothingStored(async () => {
        expectProblem(
          await uploadList(world.sessions.officer, bomb, 'bomb.xlsx', tetFields(world)),
          413,
          'PAYLOAD_TOO_LARGE',
        );
      });
    });

    it('when a list has more than 50,000 rows, then 413 and nothing is created', async () => {
      const rows = Array.from({ length: 50_001 }, (_, i) => [
        'Nguyễn Văn An',
        String(100000000000 + i),
        '01/01/1980',
        'Nam',
        '01/01/2000',
        '',
        '',
        '',
      ]);
      await expectNothingStored(async () => {
        const res = await uploadList(world.sessions.officer, csvOf(rows), 'big.csv', tetFields(world));
        expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
        // Refused at the first row over the limit, while the file is read (list-file.test.ts: the rest is not read).
        expect(res.body.detail).to.contain('hơn 50.000 dòng');
      });
    });
  });

  describe('bad input', () => {
    it('when the file, the program or the campaign is missing or wrong, then 400 on that field', async () => {
      const bytes = csvOf([listRow()]);
      const officer = world.sessions.officer;
      const noFile = await officer
        .upload('/api/v1/batches/import')
        .field('programCode', 'tet_gift')
        .field('campaignId', world.campaigns.tet.id);
      expectProblem(noFile, 400, 'VALIDATION_FAILED');
      expect(noFile.body.errors[0].path).to.equal('file');
      for (const [fields, path] of [
        [{ campaignId: world.campaigns.tet.id }, 'programCode'],
        [{ programCode: 'no_such_program', campaignId: world.campaigns.tet.id }, 'programCode'],
        [{ programCode: 'tet_gift' }, 'campaignId'],
        [{ programCode: 'tet_gift', campaignId: world.campaigns.relief.id }, 'campaignId'],
        [{ programCode: 'disaster_relief', campaignId: world.campaigns.relief.id, subtype: 'gift' }, 'subtype'],
        [{ ...tetFields(world), status: 'approved' }, 'status'],
      ] as const) {
        const res = await uploadList(officer, bytes, 'x.csv', fields as Record<string, string>);
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(
          res.body.errors.map((e: { path: string }) => e.path),
          JSON.stringify(fields),
        ).to.include(path);
      }
    });

    it('when someone other than a grassroots officer imports, then 403', async () => {
      expectProblem(
        await uploadList(world.sessions.verifier, csvOf([listRow()]), 'x.csv', tetFields(world)),
        403,
        'FORBIDDEN',
      );
    });
  });

  describe('template', () => {
    it('when the template is downloaded as CSV or XLSX, then it has the Vietnamese headers and one example row that imports', async () => {
      const csv = await world.sessions.officer
        .get('/api/v1/batches/template?programCode=tet_gift&format=csv')
        .buffer(true);
      expect(csv.status).to.equal(200);
      const text = csv.text;
      expect(text.startsWith('\uFEFF')).to.equal(true);
      const lines = text
        .replace(/^\uFEFF/, '')
        .trim()
        .split(/\r\n/);
      expect(lines[0]).to.equal(
        'Họ và tên,Số CCCD,Ngày sinh,Giới tính,Ngày vào công đoàn,Số điện thoại,Số tiền,Hoàn cảnh',
      );
      expect(lines).to.have.length(2);

      const xlsx = await world.sessions.officer
        .get('/api/v1/batches/template?programCode=tet_gift')
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(xlsx.status).to.equal(200);
      expect(xlsx.headers['content-disposition']).to.include('mau-danh-sach-tet_gift.xlsx');
      const ExcelJS = (await import('exceljs')).default;
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(xlsx.body as ArrayBuffer);
      const sheet = workbook.worksheets[0]!;
      expect((sheet.getRow(1).values as unknown[]).slice(1)).to.deep.equal([
        'Họ và tên',
        'Số CCCD',
        'Ngày sinh',
        'Giới tính',
        'Ngày vào công đoàn',
        'Số điện thoại',
        'Số tiền',
        'Hoàn cảnh',
      ]);
      expect(sheet.actualRowCount).to.equal(2);
    });

    it('when the program or format is wrong, then 400', async () => {
      expectProblem(
        await world.sessions.officer.get('/api/v1/batches/template?programCode=nope'),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await world.sessions.officer.get('/api/v1/batches/template?programCode=tet_gift&format=pdf'),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(await world.sessions.officer.get('/api/v1/batches/template'), 400, 'VALIDATION_FAILED');
    });
  });
});
