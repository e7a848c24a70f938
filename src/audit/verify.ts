import type { Db, Document } from 'mongodb';
import { entryHash, GENESIS_HASH } from './canonical.js';
import { AUDIT_COLLECTION, HEAD_COLLECTION, type ChainHead } from './chain.js';

export type ProblemKind = 'changed' | 'removed' | 'inserted';

export interface ChainProblem {
  /** Position in the chain (`seq`): of the changed or inserted entry, or the first missing one. */
  position: number;
  /** The entry concerned; null for a removed entry, which is no longer there to name. */
  entryId: string | null;
  kind: ProblemKind;
  /** In Vietnamese, for the operator. */
  detail: string;
}

export interface ChainReport {
  ok: boolean;
  checkedAt: string;
  /** Entries read, chained or not. */
  checked: number;
  headSeq: number;
  headHash: string;
  firstProblem: ChainProblem | null;
  problemCount: number;
}

/** Checks one chained entry against the one before it (the walk goes in `seq` order). */
function problemsAt(doc: Document, previous: ChainHead): ChainProblem[] {
  const entryId = String(doc._id);
  const seq = doc.seq as unknown;
  if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 1) {
    return [
      {
        position: previous.seq + 1,
        entryId,
        kind: 'changed',
        detail: `Vị trí của bản ghi bị sửa thành ${JSON.stringify(seq)}.`,
      },
    ];
  }
  if (seq === previous.seq) {
    return [
      {
        position: seq,
        entryId,
        kind: 'inserted',
        detail: `Có hai bản ghi cùng ở vị trí ${seq}: bản ghi này được chèn thêm.`,
      },
    ];
  }
  const found: ChainProblem[] = [];
  if (seq > previous.seq + 1) {
    const missing = seq - previous.seq - 1;
    found.push({
      position: previous.seq + 1,
      entryId: null,
      kind: 'removed',
      detail:
        missing === 1
          ? `Bản ghi ở vị trí ${previous.seq + 1} đã bị xoá.`
          : `${missing} bản ghi ở vị trí ${previous.seq + 1}–${seq - 1} đã bị xoá.`,
    });
  }
  if (entryHash(doc) !== doc.hash) {
    found.push({
      position: seq,
      entryId,
      kind: 'changed',
      detail: `Nội dung bản ghi ở vị trí ${seq} không còn khớp với mã băm đã lưu: bản ghi đã bị sửa.`,
    });
  } else if (seq === previous.seq + 1 && doc.prevHash !== previous.hash) {
    found.push({
      position: seq,
      entryId,
      kind: 'inserted',
      detail: `Bản ghi ở vị trí ${seq} không nối vào bản ghi trước nó: bản ghi này được chèn vào (hoặc bản ghi ở vị trí ${previous.seq} đã bị viết lại cả mã băm).`,
    });
  }
  return found;
}

/**
 * Walks the chain in `seq` order and reports the first entry changed, removed or inserted out of place
 * (docs/audit-and-migrations.md says how each is recognised). Takes a database handle, so that a copy or
 * a test database can be checked as well as the service's own.
 */
export async function verifyChain(db: Db): Promise<ChainReport> {
  const log = db.collection(AUDIT_COLLECTION);
  // Read before the walk: the head document only lags behind the entries, so every position it names was
  // written before the walk began, and entries appended meanwhile are never taken for removed ones.
  const pointer = await db.collection<{ _id: string; seq: number }>(HEAD_COLLECTION).findOne({ _id: 'head' });
  const problems: ChainProblem[] = [];
  let previous: ChainHead = { seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  for await (const doc of log.find({ seq: { $exists: true } }).sort({ seq: 1, _id: 1 })) {
    checked += 1;
    problems.push(...problemsAt(doc, previous));
    if (typeof doc.seq === 'number' && doc.seq > previous.seq) previous = { seq: doc.seq, hash: String(doc.hash) };
  }
  // The last entries removed leave no gap behind them; the head document still remembers how far the chain went.
  if (pointer && pointer.seq > previous.seq) {
    problems.push({
      position: previous.seq + 1,
      entryId: null,
      kind: 'removed',
      detail: `Các bản ghi từ vị trí ${previous.seq + 1} đến ${pointer.seq} (cuối chuỗi) đã bị xoá.`,
    });
  }
  // Entries without a position were written around the chain; the earliest one is named, by its time.
  const unchained = await log.countDocuments({ seq: { $exists: false } });
  if (unchained) {
    checked += unchained;
    const earliest = (
      await log
        .find({ seq: { $exists: false } })
        .sort({ at: 1, _id: 1 })
        .limit(1)
        .toArray()
    )[0]!;
    const before = await log.countDocuments({ seq: { $exists: true }, at: { $lte: earliest.at } });
    const when = earliest.at instanceof Date ? earliest.at.toISOString() : String(earliest.at);
    problems.push({
      position: before + 1,
      entryId: String(earliest._id),
      kind: 'inserted',
      detail:
        `Bản ghi không có vị trí trong chuỗi (thời điểm ghi ${when}, sau vị trí ${before}): được thêm thẳng vào cơ sở dữ liệu` +
        (unchained > 1 ? `; tổng cộng ${unchained} bản ghi như vậy.` : '.'),
    });
  }
  const firstProblem = problems.reduce<ChainProblem | null>(
    (first, problem) => (!first || problem.position < first.position ? problem : first),
    null,
  );
  return {
    ok: problems.length === 0,
    checkedAt: new Date().toISOString(),
    checked,
    headSeq: previous.seq,
    headHash: previous.hash,
    firstProblem,
    problemCount: problems.length + Math.max(0, unchained - 1),
  };
}
