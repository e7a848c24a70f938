/**
 * A list decision's lines in `decision_lines` (src/decisions/decision-lines.ts), past one page: stored 1,000 to a
 * document in the list's order, read back whole for the annex and the first 1,000 for the answer, also when some of
 * a decision's lines are stored the earlier way (one per document).
 */
import { expect } from 'chai';
import mongoose, { Types } from 'mongoose';
import { decisionLines, LINES_SHOWN, PAGE_LINES } from '../../src/decisions/decision-lines.js';
import type { DecisionLine, DecisionRecord } from '../../src/decisions/decisions.repository.js';

function linesFrom(from: number, count: number): DecisionLine[] {
  return Array.from({ length: count }, (_, i) => ({
    caseId: new Types.ObjectId(),
    caseCode: `TET-2026-${String(from + i).padStart(6, '0')}`,
    memberName: i % 2 ? 'Nguyễn Thị Hường' : 'Đặng Văn Kỷ',
    citizenIdMasked: `********${String(from + i)
      .padStart(4, '0')
      .slice(-4)}`,
    orgId: new Types.ObjectId(),
    orgName: 'CĐCS Công ty May Vũng Áng',
    subtype: 'tet_gift',
    amount: 1_000_000 + from + i,
  }));
}

/** What the readers need of a list decision whose lines are kept apart. */
const batchDecision = (id: Types.ObjectId) => ({ _id: id, kind: 'batch', lines: [] }) as unknown as DecisionRecord;

async function readAll(decision: DecisionRecord): Promise<DecisionLine[]> {
  const all: DecisionLine[] = [];
  for await (const line of decisionLines.all(decision)) all.push(line);
  return all;
}

const stored = () => mongoose.connection.db!.collection('decision_lines');

describe('decisions: lines kept in pages', () => {
  it('when 2,500 lines are written in two calls, then they are stored in pages of 1,000 numbered by their first line, and read back whole and in order', async () => {
    const id = new Types.ObjectId();
    const first = linesFrom(1, 1_200);
    const second = linesFrom(1_201, 1_300);
    await decisionLines.insert(id, 1, first);
    await decisionLines.insert(id, 1_201, second);

    const pages = await stored().find({ decisionId: id }).sort({ no: 1 }).toArray();
    expect(PAGE_LINES).to.equal(1_000);
    expect(pages.map((p) => [p.no, (p.lines as unknown[]).length])).to.deep.equal([
      [1, 1_000],
      [1_001, 200],
      [1_201, 1_000],
      [2_201, 300],
    ]);
    const all = await readAll(batchDecision(id));
    expect(all.map((l) => l.caseCode)).to.deep.equal([...first, ...second].map((l) => l.caseCode));
    expect(all.reduce((sum, l) => sum + l.amount, 0)).to.equal(
      [...first, ...second].reduce((sum, l) => sum + l.amount, 0),
    );
    const shown = await decisionLines.shown(batchDecision(id));
    expect(shown).to.have.length(LINES_SHOWN);
    expect(shown.map((l) => l.caseCode)).to.deep.equal(first.slice(0, LINES_SHOWN).map((l) => l.caseCode));
    expect(String(shown[0]!.caseId)).to.equal(String(first[0]!.caseId));

    await decisionLines.remove(id);
    expect(await stored().countDocuments({ decisionId: id })).to.equal(0);
  });

  it('when a decision has lines stored one per document before its pages, then every reader takes both in the order of their numbers', async () => {
    const id = new Types.ObjectId();
    const old = linesFrom(1, 600);
    await stored().insertMany(old.map((line, i) => ({ decisionId: id, no: i + 1, ...line })).reverse());
    const paged = linesFrom(601, 1_500);
    await decisionLines.insert(id, 601, paged);

    const all = await readAll(batchDecision(id));
    expect(all.map((l) => l.caseCode)).to.deep.equal([...old, ...paged].map((l) => l.caseCode));
    expect(Object.keys(all[0]!).sort()).to.deep.equal(Object.keys(old[0]!).sort());
    const shown = await decisionLines.shown(batchDecision(id));
    expect(shown.map((l) => l.caseCode)).to.deep.equal([...old, ...paged].slice(0, LINES_SHOWN).map((l) => l.caseCode));
  });
});
