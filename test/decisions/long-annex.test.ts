/**
 * A batch decision with a long list (SPEC §14 "lists of 50,000", at a size CI affords): the PDF is rendered as
 * a stream straight into GridFS, a page of the list at a time, waiting for a slow reader; the stored file is
 * what the renderer gives at once, its hash is the one the decision and the public check answer.
 */
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { Decision } from '../../src/decisions/decisions.model.js';
import { decisionPdfStream, renderDecisionPdf, type DecisionPrint } from '../../src/decisions/pdf/render.js';
import { api, arrange } from '../support/api.js';
import { allocationsFor } from '../support/funds.js';
import { caseWorld, type CaseWorld } from '../cases/case-fixtures.js';
import { batchAction } from '../batches/batch-fixtures.js';
import { verifiedList } from '../jobs/job-fixtures.js';
import { sampleDecision } from '../../tools/bench/decisions.js';
import { downloadPdf, flat, pdfInfo, pdfText, sha256, type DecisionView } from './decision-fixtures.js';

const NAMES = ['Nguyễn Thị Hường', 'Đặng Văn Kỷ', 'Lê Thị Ẩn', 'Trần Văn Ổn', 'Phạm Thị Ỹ'];

function longPrint(count: number): DecisionPrint {
  const rows = Array.from({ length: count }, (_, i) => ({
    name: NAMES[i % NAMES.length]!,
    citizenIdMasked: `********${String(i).padStart(4, '0')}`,
    unit: i % 3 ? 'CĐCS Công ty May Hà Tĩnh' : 'Công đoàn cơ sở Trường Trung học cơ sở Thạch Hà',
    amount: 1_000_000,
  }));
  return { ...sampleDecision, annex: { rows, total: count * 1_000_000 } };
}

describe('decisions: a long list rendered as a stream', function () {
  this.timeout(120_000);

  it('when the reader of the PDF is slow, then the drawing waits for it (a bounded part of the file ahead) and the bytes are those rendered at once', async () => {
    const print = longPrint(5_000);
    const atOnce = await renderDecisionPdf(print);
    const stream = decisionPdfStream(print);
    const chunks: Buffer[] = [];
    let mostAhead = 0;
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, done) {
        mostAhead = Math.max(mostAhead, stream.readableLength);
        chunks.push(chunk);
        // pdfkit writes many small pieces: a pause every 32 of them is a reader far slower than the drawing.
        if (chunks.length % 32) done();
        else setTimeout(done, 1);
      },
    });
    await pipeline(stream, slow);
    const bytes = Buffer.concat(chunks);
    expect(sha256(bytes)).to.equal(sha256(atOnce));
    expect(atOnce.length).to.be.above(500 * 1024);
    // Drawn without waiting, the whole file would be in the stream's buffer before the reader's first turn;
    // paced, 128 kB and what the end writes at once (the embedded font, the cross-reference table).
    expect(mostAhead, 'bytes drawn ahead of the reader').to.be.below(200 * 1024);
  });

  describe('when a list of 120 cases is approved', () => {
    let world: CaseWorld;
    let decision: DecisionView;
    let bytes: Buffer;

    before(async () => {
      world = await caseWorld();
      const list = await verifiedList(world, 120);
      const fundId = allocationsFor(world.province.id, 1)[0]!.fundId;
      const approved = await batchAction(world.sessions.approver, list.batch.id, 'approve', { fundId });
      expect(approved.counts.ok).to.equal(120);
      decision = await arrange<DecisionView>(
        world.sessions.approver.get(`/api/v1/decisions/${approved.decision!.id}`),
        200,
      );
      bytes = (await downloadPdf(world.sessions.approver, decision.id)).bytes;
    });

    it('then its PDF is stored in GridFS with its size and hash, and the public check answers that hash', async () => {
      const files = mongoose.connection.db!.collection('decision_pdfs.files');
      const stored = await files.findOne({ 'metadata.decisionId': new mongoose.Types.ObjectId(decision.id) });
      expect(stored).to.not.equal(null);
      expect(stored!.length).to.equal(bytes.length);
      expect(stored!.metadata).to.deep.include({ sha256: sha256(bytes), contentType: 'application/pdf' });
      expect(decision.pdf).to.deep.equal({ sha256: sha256(bytes), size: bytes.length });
      const token = decision.verifyUrl.split('/xac-minh/')[1]!;
      const verified = await api().get(`/api/v1/decisions/verify/${token}`);
      expect(verified.status).to.equal(200);
      expect(verified.body).to.include({ caseCount: 120, sha256: sha256(bytes) });
    });

    it('then its lines are kept apart in a page of the list order, and the answer lists them with their count', async () => {
      const stored = await Decision.findById(decision.id).lean();
      expect(stored!.kind).to.equal('batch');
      expect(stored!.lines).to.deep.equal([]);
      expect(stored!.lineCount).to.equal(120);
      const pages = await mongoose.connection
        .db!.collection('decision_lines')
        .find({ decisionId: stored!._id })
        .sort({ no: 1 })
        .toArray();
      // 120 lines are one page (PAGE_LINES, 1,000): one write and one read instead of 120 each.
      expect(pages.map((p) => p.no)).to.deep.equal([1]);
      const lines = pages.flatMap((p) => p.lines as Record<string, unknown>[]);
      expect(lines.map((l) => String(l.caseId))).to.deep.equal(stored!.caseIds.map(String));
      expect(lines.reduce((sum, l) => sum + (l.amount as number), 0)).to.equal(stored!.totalAmount);
      expect(decision.lineCount).to.equal(120);
      expect(decision.lines.map((l) => l.caseCode)).to.deep.equal(lines.map((l) => l.caseCode));
      expect(decision.lines[0]!.citizenIdMasked).to.match(/^\*{8}\d{4}$/);
    });

    it('then, stored the earlier way (one line per document, decisions issued before the pages), it answers the same lines and its PDF is drawn again with the same bytes', async () => {
      const id = new mongoose.Types.ObjectId(decision.id);
      const linesCollection = mongoose.connection.db!.collection('decision_lines');
      const pages = await linesCollection.find({ decisionId: id }).sort({ no: 1 }).toArray();
      const oneEach = pages.flatMap((p) =>
        (p.lines as Record<string, unknown>[]).map((line, i) => ({
          decisionId: id,
          no: (p.no as number) + i,
          ...line,
        })),
      );
      await linesCollection.deleteMany({ _id: { $in: pages.map((p) => p._id) } });
      // Out of order on purpose: the order is the lines' numbers, not the order of insertion.
      await linesCollection.insertMany([...oneEach].reverse());
      // The stored PDF goes too, so that reading the decision draws it again from these lines.
      const files = mongoose.connection.db!.collection('decision_pdfs.files');
      const file = await files.findOne({ 'metadata.decisionId': id });
      await Decision.updateOne({ _id: id }, { $set: { pdf: null } });
      await files.deleteOne({ _id: file!._id });
      await mongoose.connection.db!.collection('decision_pdfs.chunks').deleteMany({ files_id: file!._id });

      const answer = await arrange<DecisionView>(world.sessions.approver.get(`/api/v1/decisions/${decision.id}`), 200);
      expect(answer.lines).to.deep.equal(decision.lines);
      const again = (await downloadPdf(world.sessions.approver, decision.id)).bytes;
      expect(sha256(again)).to.equal(sha256(bytes));
      expect((await Decision.findById(id).lean())!.pdf!.sha256).to.equal(sha256(bytes));
      expect(await linesCollection.countDocuments({ decisionId: id })).to.equal(120);
    });

    it('then the list runs over several pages, numbered from 1, each with its header row, and ends with the total', () => {
      const pages = pdfText(bytes)
        .split('\f')
        .filter((page) => page.trim());
      expect(pages).to.have.length(Number(pdfInfo(bytes).Pages));
      const listStart = pages.findIndex((page) => page.includes('DANH SÁCH ĐOÀN VIÊN ĐƯỢC HỖ TRỢ'));
      expect(listStart).to.be.above(0);
      const listPages = pages.slice(listStart);
      expect(listPages.length).to.be.at.least(3);
      listPages.forEach((page, i) => {
        const lines = page.split('\n').map((l) => l.trim());
        expect(lines, `page ${i + 1} of the list`).to.include.members(['STT', 'Họ và tên', String(i + 1)]);
      });
      expect(flat(listPages.at(-1)!)).to.contain('Tổng cộng: 120 người');
      expect(flat(listPages.join(' '))).to.contain('120 ');
    });
  });
});
