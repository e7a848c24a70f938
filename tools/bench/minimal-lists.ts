/**
 * The floor for the list benchmarks (batches-database.ts), served by the minimal app of serve.ts: the least a
 * list import and a list approval must do, with none of the service's rules, history, audit, ledger or numbering.
 *
 * - `POST /lists?orgId=&campaignId=` (the XLSX as the raw body): exceljs reads it, then one `insertMany` of its
 *   members and one of their draft cases; answers the new list's id;
 * - `POST /lists/:id/verify`: reads the list's drafts and marks them verified with their recommended amount in one
 *   `bulkWrite` (the floor of the list verify; untimed, the approval's preparation too);
 * - `POST /lists/:id/approve` `{fundId}`: reads the verified cases, takes their total from the fund with one
 *   conditional `$inc`, approves them with one `bulkWrite`, and renders the decision with the same annex PDF (each
 *   row naming its union, as the service draws it);
 * - `POST /lists/:id/pay` `{fundId}`: reads the approved cases, inserts one payment entry per case (in a collection
 *   of its own, `bench_floor_payments`, so the service never reads them), marks them paid with one `bulkWrite` and
 *   moves the total from committed to disbursed with one fund `$inc`.
 */
import ExcelJS from 'exceljs';
import express, { type Express } from 'express';
import mongoose, { Types } from 'mongoose';
import { Case } from '../../src/cases/cases.model.js';
import { searchKey } from '../../src/core/search-text.js';
import { renderDecisionPdf } from '../../src/decisions/index.js';
import { Fund } from '../../src/funds/funds.model.js';
import { Member } from '../../src/members/members.model.js';
import { Org } from '../../src/orgs/orgs.model.js';
import { sampleDecision } from './decisions.js';

const isoDay = (text: string) => text.split('/').reverse().join('-');
const minimal = { id: 'minimal', name: 'minimal' };

export function minimalListRoutes(app: Express): void {
  app.post('/lists', express.raw({ type: () => true, limit: '20mb' }), async (req, res) => {
    const org = await Org.findById(String(req.query.orgId)).lean();
    if (!org) {
      res.status(404).end();
      return;
    }
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(req.body as ArrayBuffer);
    const batchId = new Types.ObjectId();
    const campaignId = new Types.ObjectId(String(req.query.campaignId));
    const now = new Date();
    const members: Record<string, unknown>[] = [];
    const cases: Record<string, unknown>[] = [];
    workbook.worksheets[0]!.eachRow((row, n) => {
      if (n === 1) return;
      const [fullName, citizenId, born, gender, joined, phone, amount, situation] = (row.values as unknown[])
        .slice(1)
        .map(String);
      const memberId = new Types.ObjectId();
      members.push({
        _id: memberId,
        fullName,
        searchName: searchKey(fullName!),
        dateOfBirth: isoDay(born!),
        gender: gender === 'Nam' ? 'male' : 'female',
        citizenId,
        joinedUnionAt: isoDay(joined!),
        orgId: org._id,
        orgPath: org.orgPath,
        phone,
        createdBy: org._id,
        createdAt: now,
        updatedAt: now,
      });
      cases.push({
        code: `MIN-${String(batchId)}-${n}`,
        programCode: 'tet_gift',
        subtype: 'gift',
        campaignId,
        memberId,
        memberName: fullName,
        memberSearchName: searchKey(fullName!),
        memberCitizenId: citizenId,
        orgId: org._id,
        orgPath: org.orgPath,
        requestedAmount: Number(amount!.replace(/\./g, '')),
        situation,
        status: 'draft',
        revision: 1,
        batchId,
        history: [{ action: 'create', from: null, to: 'draft', by: minimal, at: now }],
        createdBy: minimal,
        createdAt: now,
        updatedAt: now,
      });
    });
    await Member.insertMany(members, { lean: true });
    await Case.insertMany(cases, { lean: true });
    res.status(201).json({ batchId, created: cases.length });
  });

  app.post('/lists/:id/verify', async (req, res) => {
    const cases = await Case.find({ batchId: req.params.id, status: 'draft' }, { requestedAmount: 1 }).lean();
    await Case.bulkWrite(
      cases.map((c) => ({
        updateOne: {
          filter: { _id: c._id },
          update: { $set: { status: 'verified', recommendedAmount: c.requestedAmount } },
        },
      })),
    );
    res.json({ verified: cases.length });
  });

  app.post('/lists/:id/approve', async (req, res) => {
    const cases = await Case.find(
      { batchId: req.params.id, status: 'verified' },
      { memberName: 1, memberCitizenId: 1, requestedAmount: 1, orgId: 1 },
    ).lean();
    const total = cases.reduce((sum, c) => sum + c.requestedAmount, 0);
    const fundId = String((req.body as { fundId: string }).fundId);
    const taken = await Fund.updateOne(
      { _id: fundId, available: { $gte: total } },
      { $inc: { committed: total, available: -total } },
    );
    if (taken.modifiedCount !== 1) {
      res.status(409).end();
      return;
    }
    await Case.bulkWrite(
      cases.map((c) => ({
        // By id alone, as the least an approval must do.
        updateOne: {
          filter: { _id: c._id },
          update: { $set: { status: 'approved', approvedAmount: c.requestedAmount } },
        },
      })),
    );
    // The annex as the service draws it: each row names its union (one read of the list's unions).
    const unions = await Org.find(
      { _id: { $in: [...new Set(cases.map((c) => String(c.orgId)))] } },
      { name: 1 },
    ).lean();
    const unitOf = new Map(unions.map((o) => [String(o._id), o.name]));
    const rows = cases.map((c) => ({
      name: c.memberName,
      citizenIdMasked: `********${c.memberCitizenId.slice(-4)}`,
      unit: unitOf.get(String(c.orgId)) ?? '',
      amount: c.requestedAmount,
    }));
    const pdf = await renderDecisionPdf({ ...sampleDecision, annex: { rows, total } });
    res.json({ approved: cases.length, pdfBytes: pdf.length });
  });

  app.post('/lists/:id/pay', async (req, res) => {
    const cases = await Case.find(
      { batchId: req.params.id, status: 'approved' },
      { orgId: 1, memberId: 1, approvedAmount: 1 },
    ).lean();
    const fundId = new Types.ObjectId(String((req.body as { fundId: string }).fundId));
    const now = new Date();
    const total = cases.reduce((sum, c) => sum + (c.approvedAmount ?? 0), 0);
    await mongoose.connection.collection('bench_floor_payments').insertMany(
      cases.map((c) => ({
        caseId: c._id,
        orgId: c.orgId,
        memberId: c.memberId,
        fundId,
        amount: c.approvedAmount,
        method: 'cash',
        voucherNo: `PC-MIN-${req.params.id}`,
        paidAt: now,
      })),
    );
    await Case.bulkWrite(
      cases.map((c) => ({
        updateOne: {
          filter: { _id: c._id },
          update: { $set: { status: 'disbursed', disbursedAmount: c.approvedAmount } },
        },
      })),
    );
    await Fund.updateOne({ _id: fundId }, { $inc: { committed: -total, disbursed: total } });
    res.json({ paid: cases.length });
  });
}
