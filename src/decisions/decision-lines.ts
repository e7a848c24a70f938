import { Schema, type InferRawDocTypeFromSchema, type Types } from 'mongoose';
import { defineModel } from '../core/db/model.js';
import { lineFields } from './decisions.model.js';
import type { DecisionLine, DecisionRecord } from './decisions.repository.js';

/**
 * The lines of a list's decision, one document each (`no` from 1, in the list's order), so that a decision of
 * 50,000 beneficiaries fits MongoDB's 16 MB per document and its annex is drawn from a cursor, not from memory.
 * They are written under the decision's id before the decision itself is inserted (issue.service.ts): until
 * then nothing reads them, and an issue that fails or is taken up again after a crash first removes them.
 */
const decisionLineSchema = new Schema(
  { decisionId: { type: Schema.Types.ObjectId, required: true }, no: { type: Number, required: true }, ...lineFields },
  { collection: 'decision_lines', versionKey: false },
);
// The engine uses an index only for a filter of exactly its keys (ENGINE-NOTES.md): one for reading a decision's
// lines by its id, one making a line's place unique.
decisionLineSchema.index({ decisionId: 1 });
decisionLineSchema.index({ decisionId: 1, no: 1 }, { unique: true });

const StoredLine = defineModel('DecisionLine', decisionLineSchema);
type StoredLineDoc = InferRawDocTypeFromSchema<typeof decisionLineSchema>;

/** Lines read at once while the annex is drawn or the decision answered. */
const READ_BATCH = 1_000;
/** The lines `GET /decisions/:id` answers at most; the PDF's annex has every one. */
export const LINES_SHOWN = 1_000;

function lineOf(stored: StoredLineDoc): DecisionLine {
  const { caseId, caseCode, memberName, citizenIdMasked, orgId, orgName, subtype, amount } = stored;
  return { caseId, caseCode, memberName, citizenIdMasked, orgId, orgName, subtype, amount };
}

/** Whether the decision's lines are in `decision_lines` rather than in the decision itself. */
function keptApart(decision: DecisionRecord): boolean {
  return decision.kind === 'batch' && !decision.lines.length;
}

export const decisionLines = {
  /** The lines `from` (1-based) on, numbered in order. */
  async insert(decisionId: Types.ObjectId, from: number, lines: readonly DecisionLine[]): Promise<void> {
    if (!lines.length) return;
    await StoredLine.insertMany(
      lines.map((line, i) => ({ decisionId, no: from + i, ...line })),
      { lean: true, ordered: true },
    );
  },
  async remove(decisionId: Types.ObjectId): Promise<void> {
    await StoredLine.deleteMany({ decisionId });
  },
  /** Every line of the decision in order, read a batch at a time. */
  async *all(decision: DecisionRecord): AsyncGenerator<DecisionLine> {
    if (!keptApart(decision)) {
      yield* decision.lines;
      return;
    }
    // Sorted by `no` in the database: the engine sorts what the index on `decisionId` finds.
    const cursor = StoredLine.find({ decisionId: decision._id })
      .sort({ no: 1 })
      .lean<StoredLineDoc[]>()
      .cursor({ batchSize: READ_BATCH });
    for await (const stored of cursor) yield lineOf(stored as StoredLineDoc);
  },
  /** The first LINES_SHOWN lines, for the decision's JSON. */
  async shown(decision: DecisionRecord): Promise<DecisionLine[]> {
    if (!keptApart(decision)) return decision.lines.slice(0, LINES_SHOWN);
    const stored = await StoredLine.find({ decisionId: decision._id })
      .sort({ no: 1 })
      .limit(LINES_SHOWN)
      .lean<StoredLineDoc[]>();
    return stored.map(lineOf);
  },
};
