/**
 * SPEC §3: a CCCD (and a bank account number) is shown in full only on the single-object read. These tests walk
 * every JSON list the users of a province can reach and look for a 12-digit number left unmasked: the rejected
 * rows of an imported list showed the CCCD of the file in full.
 */
import { expect } from 'chai';
import type { Session } from '../support/api.js';
import { api } from '../support/api.js';
import { caseAt, caseWorld, fundAllocations, type CaseWorld } from '../cases/case-fixtures.js';
import {
  citizenIdOf,
  csvOf,
  importTet,
  listRow,
  payInFull,
  tetFields,
  uploadList,
  type ImportView,
} from '../batches/batch-fixtures.js';
import { Batch } from '../../src/batches/batches.model.js';

/** A full CCCD or account number: twelve digits not part of a longer number. */
const TWELVE_DIGITS = /(?<!\d)\d{12}(?!\d)/;
/**
 * Ids and hashes are hexadecimal (24 digits and more) and may hold twelve decimal digits in a row by chance, also inside
 * a link (a decision's `pdfUrl`): they are taken out of a string before it is searched.
 */
const HEX_IDS = /(?<![0-9a-f])[0-9a-f]{24,}(?![0-9a-f])/g;

/** Every string of a JSON answer, with the path where it stands. */
function stringsOf(value: unknown, path: string, out: [string, string][] = []): [string, string][] {
  if (typeof value === 'string') out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((item, i) => stringsOf(item, `${path}[${i}]`, out));
  else if (value && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) stringsOf(item, `${path}.${key}`, out);
  return out;
}

function unmaskedIn(body: unknown, where: string): string[] {
  return stringsOf(body, where)
    .filter(([, text]) => TWELVE_DIGITS.test(text.replace(HEX_IDS, '')))
    .map(([path, text]) => `${path} = ${text}`);
}

describe('members: no list answer shows a full CCCD', function () {
  this.timeout(120_000);
  let world: CaseWorld;
  let imported: ImportView;
  let refusedCitizenId: string;

  before(async () => {
    world = await caseWorld();
    const twice = listRow();
    refusedCitizenId = citizenIdOf(twice);
    // The second row repeats the first one's CCCD: refused, with the full 12-digit CCCD of the file.
    imported = await importTet(world, [twice, [...twice], listRow()]);
    const paid = await caseAt(world, 'approved', 'tet_gift');
    await payInFull(
      world.sessions.accountant,
      paid.id,
      paid.approvedAmount!,
      fundAllocations(paid, paid.approvedAmount!)[0]!.fundId,
    );
  });

  it('when a list is imported with a refused row, then the answer and the stored list carry its CCCD masked', async () => {
    expect(imported.rejectedRows.map((r) => r.row)).to.deep.equal([3]);
    expect(imported.rejectedRows[0]!.citizenId).to.equal(`********${refusedCitizenId.slice(-4)}`);
    const stored = await Batch.findById(imported.batch.id).lean();
    expect(stored!.rejectedRows.map((r) => r.citizenId)).to.deep.equal([`********${refusedCitizenId.slice(-4)}`]);
    const read = await world.sessions.officer.get(`/api/v1/batches/${imported.batch.id}`);
    expect(read.status).to.equal(200);
    expect(unmaskedIn(read.body, 'batch')).to.deep.equal([]);
  });

  it('when a list is refused whole, then the problem lists its rows with each CCCD masked', async () => {
    const row = listRow({ dateOfBirth: '31/02/1990' });
    const res = await uploadList(world.sessions.officer, csvOf([row]), 'sai.csv', tetFields(world));
    expect(res.status).to.equal(400);
    expect(res.body.rejectedRows).to.have.length(1);
    expect(unmaskedIn(res.body, 'problem')).to.deep.equal([]);
    expect(JSON.stringify(res.body)).to.not.contain(citizenIdOf(row));
  });

  it('when every list endpoint of the API is read by each role, then no answer holds an unmasked 12-digit number', async () => {
    const doc = (await api().get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const lists = Object.entries(doc.paths)
      .filter(([path, operations]) => operations.get && !path.includes('{'))
      .map(([path]) => path);
    const s = world.sessions;
    const sessions: [string, Session][] = [
      ['officer', s.officer],
      ['verifier', s.verifier],
      ['approver', s.approver],
      ['accountant', s.accountant],
      ['admin', s.admin],
    ];
    const found: string[] = [];
    let read = 0;
    for (const [role, session] of sessions) {
      for (const path of lists) {
        const res = await session.get(path);
        if (res.status !== 200 || !/json/.test(String(res.headers['content-type']))) continue;
        read += 1;
        found.push(...unmaskedIn(res.body, `${role} GET ${path}`));
        // A list's page holds its cases and its refused rows: lists within the list.
        if (path === '/api/v1/batches') {
          for (const batch of (res.body as { items: { id: string }[] }).items) {
            const one = await session.get(`/api/v1/batches/${batch.id}`);
            if (one.status === 200) found.push(...unmaskedIn(one.body, `${role} GET /batches/${batch.id}`));
          }
        }
      }
    }
    expect(read, 'lists answered').to.be.greaterThan(30);
    expect(found, found.join('\n')).to.deep.equal([]);
  });
});
