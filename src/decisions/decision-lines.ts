import { Schema, type InferRawDocTypeFromSchema, type Types } from 'mongoose';
import { defineModel } from '../core/db/model.js';
import { lineSchema } from './decisions.model.js';
import type { DecisionLine, DecisionRecord } from './decisions.repository.js';

/**
 * The lines of a list's decision, kept apart from it so that a decision of 50,000 beneficiaries fits MongoDB's
 * 16 MB per document and its annex is drawn from a cursor, not from memory. They are kept in pages of up to
 * `PAGE_LINES` lines in the list's order: `no` is the number (from 1) of the page's first line. They are written
 * under the decision's id before the decision itself is inserted (issue.service.ts): until then nothing reads
 * them, and an issue that fails or is taken up again after a crash first removes them.
 *
 * Decisions issued before the pages (2026-12-06) keep one line per document, its fields at the top and `no` its own
 * number; they are read as pages of one line, so neither kind needs rewriting.
 */
const decisionLineSchema = new Schema(
  {
    decisionId: { type: Schema.Types.ObjectId, required: true },
    no: { type: Number, required: true },
    lines: { type: [lineSchema], required: true },
  },
  { collection: 'decision_lines', versionKey: false },
);
// The engine uses an index only for a filter of exactly its keys (ENGINE-NOTES.md): one for reading a decision's
// lines by its id, one making a page's place unique.
decisionLineSchema.index({ decisionId: 1 });
decisionLineSchema.index({ decisionId: 1, no: 1 }, { unique: true });

const StoredPage = defineModel('DecisionLine', decisionLineSchema);
/** A page; a document of the earlier kind (read lean, its fields as stored) has no `lines` but one line's fields. */
type StoredPageDoc = Partial<InferRawDocTypeFromSchema<typeof decisionLineSchema>> & Partial<DecisionLine>;

/**
 * Lines per stored page: a 20,000-line decision is 20 documents to write and read instead of 20,000 (docs/benchmarks.md
 * "The engine's data size, decision lines in pages and the approval's floor"); a page of 1,000 lines is about 250 KB.
 */
export const PAGE_LINES = 1_000;
/** Pages read at once while the annex is drawn. */
const READ_PAGES = 4;
/** The lines `GET /decisions/:id` answers at most; the PDF's annex has every one. */
export const LINES_SHOWN = 1_000;

function lineOf(stored: DecisionLine): DecisionLine {
  const { caseId, caseCode, memberName, citizenIdMasked, orgId, orgName, subtype, amount } = stored;
  return { caseId, caseCode, memberName, citizenIdMasked, orgId, orgName, subtype, amount };
}

/** A page's lines in order: its `lines`, or the one line a document of the earlier kind holds. */
const linesOf = (page: StoredPageDoc): DecisionLine[] =>
  page.lines ? page.lines.map((line) => lineOf(line as DecisionLine)) : [lineOf(page as DecisionLine)];

/** Whether the decision's lines are in `decision_lines` rather than in the decision itself. */
function keptApart(decision: DecisionRecord): boolean {
  return decision.kind === 'batch' && !decision.lines.length;
}

/**
 * The decision's pages in order, read a few at a time (sorted in the database: the engine sorts what the index on
 * `decisionId` finds).
 */
function pagesOf(decision: DecisionRecord) {
  return StoredPage.find({ decisionId: decision._id })
    .sort({ no: 1 })
    .lean<StoredPageDoc[]>()
    .cursor({ batchSize: READ_PAGES });
}

export const decisionLines = {
  /** The lines `from` (1-based) on, numbered in order, in pages of up to PAGE_LINES. */
  async insert(decisionId: Types.ObjectId, from: number, lines: readonly DecisionLine[]): Promise<void> {
    const pages = [];
    for (let at = 0; at < lines.length; at += PAGE_LINES)
      pages.push({ decisionId, no: from + at, lines: lines.slice(at, at + PAGE_LINES).map(lineOf) });
    if (pages.length) await StoredPage.insertMany(pages, { lean: true, ordered: true });
  },
  async remove(decisionId: Types.ObjectId): Promise<void> {
    await StoredPage.deleteMany({ decisionId });
  },
  /** Every line of the decision in order, read a few pages at a time. */
  async *all(decision: DecisionRecord): AsyncGenerator<DecisionLine> {
    if (!keptApart(decision)) {
      yield* decision.lines;
      return;
    }
    for await (const page of pagesOf(decision)) yield* linesOf(page as StoredPageDoc);
  },
  /** The first LINES_SHOWN lines, for the decision's JSON. */
  async shown(decision: DecisionRecord): Promise<DecisionLine[]> {
    if (!keptApart(decision)) return decision.lines.slice(0, LINES_SHOWN);
    const shown: DecisionLine[] = [];
    const cursor = pagesOf(decision);
    try {
      for await (const page of cursor) {
        shown.push(...linesOf(page as StoredPageDoc));
        if (shown.length >= LINES_SHOWN) break;
      }
    } finally {
      await cursor.close();
    }
    return shown.slice(0, LINES_SHOWN);
  },
};
