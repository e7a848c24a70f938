/** The audit chain's head printed on the summary report's PDF (SPEC §15), to be compared later with the chain. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import mongoose from 'mongoose';
import type { Response } from 'supertest';
import { findHead, recordAudit } from '../../src/audit/index.js';
import { sharedProvince } from '../support/provinces.js';
import { sampleInput } from './audit-fixtures.js';

function binary(res: Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

describe("audit: the chain's head on the summary PDF", function () {
  it("when the quarter's summary is printed, then its last line names the chain's head position and the first 16 hex of its hash", async () => {
    const tree = await sharedProvince();
    await recordAudit(sampleInput(1));
    const head = await findHead(mongoose.connection.db!);
    const pdf = await tree.sessions.accountant
      .get('/api/v1/reports/summary?period=2026-Q4&format=pdf')
      .buffer(true)
      .parse(binary);
    expect(pdf.status).to.equal(200);
    const dir = mkdtempSync(join(tmpdir(), 'audit-pdf-'));
    writeFileSync(join(dir, 'r.pdf'), pdf.body as Buffer);
    const text = execFileSync('pdftotext', [join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
    expect(text).to.include(`Nhật ký kiểm toán: đầu chuỗi tại vị trí ${head.seq}, mã băm ${head.hash.slice(0, 16)}`);
    expect(await findHead(mongoose.connection.db!)).to.deep.equal(head);
  });
});
