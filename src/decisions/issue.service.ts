import { setTimeout as sleep } from 'node:timers/promises';
import { Types } from 'mongoose';
import { recordAudit } from '../audit/index.js';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors.js';
import { isDecided } from '../core/shared/money-moves.js';
import type { Actor } from '../core/scope.js';
import { casesRepository, type CaseRecord } from '../cases/index.js';
import { DecisionCases, decisionNumber, draftDecision, type SignerInput } from './decision-draft.js';
import { decisionLines } from './decision-lines.js';
import {
  decisionsRepository,
  type DecisionLine,
  type DecisionRecord,
  type NewDecision,
} from './decisions.repository.js';
import { decisionSettings } from './decisions.settings.js';
import { pdfStore } from './decisions.storage.js';
import { decisionPdfStream, type AnnexRow, type DecisionPrint } from './pdf/render.js';

const MAX_NUMBER_ATTEMPTS = 200;
/** Cases of a list read at once while its decision is drafted: a list of 50,000 is never held whole. */
const CASES_AT_ONCE = 1_000;
/** What drafting reads of a case (not its history, documents or notes). */
const DRAFTED_FIELDS = [
  'code',
  'status',
  'decisionId',
  'orgId',
  'orgPath',
  'programCode',
  'campaignId',
  'subtype',
  'approvedAmount',
  'approvedAt',
  'approvedBy',
  'memberName',
  'memberCitizenId',
  'memberSnapshot.fullName',
  'memberSnapshot.citizenId',
] as const;

/** A decision other than the draft holding one of its cases: looked up a few cases at a time, first found. */
async function otherDecisionOf(draft: Omit<NewDecision, 'sequence' | 'number'>): Promise<DecisionRecord | null> {
  for (let at = 0; at < draft.caseIds.length; at += 50) {
    const found = await Promise.all(draft.caseIds.slice(at, at + 50).map((id) => decisionsRepository.findByCase(id)));
    const other = found.find((d) => d && !d._id.equals(draft._id));
    if (other) return other;
  }
  return null;
}

/**
 * Takes the next number of the issuer's year by inserting the decision itself with the highest number so far
 * plus one, under the unique index (issuerOrgId, year, sequence); a concurrent issuer that took the same
 * number makes the insert fail, and it is tried again with the next. A number therefore exists only as a
 * stored decision: unlike a counter taken first, a process dying between taking the number and storing the
 * decision cannot leave a gap, and a number is never given twice.
 *
 * The unique index on `caseIds` refuses a second decision for a case: when that is what failed, the
 * decision another request issued for it is answered (single) or the batch is refused.
 */
async function insertNumbered(
  draft: Omit<NewDecision, 'sequence' | 'number'>,
): Promise<{ decision: DecisionRecord; created: boolean }> {
  for (let attempt = 1; attempt <= MAX_NUMBER_ATTEMPTS; attempt += 1) {
    const sequence = (await decisionsRepository.lastSequence(draft.issuerOrgId, draft.year)) + 1;
    try {
      return {
        decision: await decisionsRepository.insert({ ...draft, sequence, number: decisionNumber(sequence) }),
        created: true,
      };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      // The number taken by another issuer (the usual race) says nothing of the cases: only look for them if not.
      const numberTaken = (await decisionsRepository.lastSequence(draft.issuerOrgId, draft.year)) >= sequence;
      const other = numberTaken ? null : await otherDecisionOf(draft);
      if (other && draft.kind === 'single') return { decision: other, created: false };
      if (other) throw new ConflictError('CONFLICT', `Hồ sơ đã thuộc Quyết định số ${other.number}.`);
      // Spread the racers a little, so that they do not all collide on the next number too.
      await sleep(Math.floor(Math.random() * 5 * Math.min(attempt, 10)));
    }
  }
  throw new Error(`no decision number could be taken after ${MAX_NUMBER_ATTEMPTS} attempts`);
}

/** What the PDF prints, from the stored decision alone. */
export function printOf(decision: DecisionRecord): DecisionPrint {
  return {
    number: decision.number,
    issuedAt: decision.issuedAt,
    place: decision.content.place ?? '',
    parentName: decision.content.parentName,
    issuerName: decision.issuerName,
    subject: decision.content.subject,
    decidingBody: decision.content.decidingBody,
    legalBases: decision.legalBases,
    articles: decision.content.articles,
    recipients: decision.content.recipients,
    signer: { title: decision.signerTitle, name: decision.signerName },
    verifyUrl: decision.content.verifyUrl,
    annex: decision.kind === 'batch' ? { rows: annexRows(decision), total: decision.totalAmount } : undefined,
  };
}

/** The list's rows as they are drawn, one at a time, from the lines the decision recorded (read a batch at a time). */
async function* annexRows(decision: DecisionRecord): AsyncGenerator<AnnexRow> {
  for await (const line of decisionLines.all(decision)) {
    yield { name: line.memberName, citizenIdMasked: line.citizenIdMasked, unit: line.orgName, amount: line.amount };
  }
}

/**
 * Renders and stores the PDF once. Normally right after the insert; if the process died in between, the first
 * read or verification of the decision does it, with the same bytes, since everything printed is in the record.
 */
export async function ensurePdf(decision: DecisionRecord): Promise<DecisionRecord> {
  if (decision.pdf) return decision;
  const stored = await pdfStore.save(
    decisionPdfStream(printOf(decision)),
    `quyet-dinh-${decision.sequence}-${decision.year}.pdf`,
    decision._id,
  );
  if (!(await decisionsRepository.attachPdf(decision._id, stored))) await pdfStore.remove(stored.fileId);
  return (await decisionsRepository.findById(String(decision._id)))!;
}

/**
 * Inserts the drafted decision under its number, renders its PDF, links its cases and audits it. A batch's
 * lines are already in `decision_lines` under `id`; they go if the decision cannot be inserted.
 */
async function issueDrafted(
  cases: DecisionCases,
  singleLine: DecisionLine | null,
  actor: Actor,
  signerUserId: string,
  input: SignerInput,
  id: Types.ObjectId,
): Promise<{ decision: DecisionRecord; created: boolean }> {
  let inserted: { decision: DecisionRecord; created: boolean };
  try {
    inserted = await insertNumbered(await draftDecision(id, cases, singleLine, actor, signerUserId, input));
  } catch (error) {
    // Unless the insert did land (its answer lost), the lines of a decision that was not issued go.
    if (!singleLine && !(await decisionsRepository.findById(String(id)))) await decisionLines.remove(id);
    throw error;
  }
  const { decision, created } = inserted;
  // The PDF (drawn by this process) and the cases' link (written by the database) at the same time: each is done
  // once and each is completed later if it fails (`ensurePdf` when the PDF is read, POST /cases/:id/decision for
  // the link), so neither waits for the other. A 20,000-case decision's link took about 2 s beside 4 s of drawing.
  const [pdf, link] = await Promise.allSettled([
    ensurePdf(decision),
    casesRepository.linkDecision(decision.caseIds, decision._id, { created }),
  ]);
  if (pdf.status === 'rejected') throw pdf.reason;
  if (link.status === 'rejected') throw link.reason;
  const withPdf = pdf.value;
  if (created) {
    await recordAudit({
      action: 'decision.issue',
      entity: 'decision',
      entityId: String(decision._id),
      actor,
      orgPath: decision.scopeOrgIds,
      details: {
        number: decision.number,
        year: decision.year,
        caseCount: decision.caseIds.length,
        totalAmount: decision.totalAmount,
      },
    });
  }
  return { decision: withPdf, created };
}

async function issueSingle(
  record: CaseRecord,
  actor: Actor,
  signerUserId: string,
  input: SignerInput,
  id = new Types.ObjectId(),
): Promise<{ decision: DecisionRecord; created: boolean }> {
  const cases = new DecisionCases();
  const [line] = await cases.add([record]);
  return issueDrafted(cases, line!, actor, signerUserId, input, id);
}

/**
 * The decision of one approved case: issued if it has none, else the one it has (completing what an
 * interrupted issue left undone: the PDF, the link from the case). Safe to repeat and to race.
 */
export async function issueDecisionForCase(
  actor: Actor,
  caseOrId: string | CaseRecord,
  input: SignerInput = {},
): Promise<{ decision: DecisionRecord; created: boolean }> {
  const record = typeof caseOrId === 'string' ? await casesRepository.findById(caseOrId) : caseOrId;
  if (!record) throw new NotFoundError('hồ sơ');
  const existing = await decisionsRepository.findByCase(record._id);
  if (existing) {
    const decision = await ensurePdf(existing);
    await casesRepository.linkDecision([record._id], decision._id);
    return { decision, created: false };
  }
  if (!isDecided(record.status)) {
    throw new ConflictError('INVALID_TRANSITION', 'Chỉ ban hành quyết định cho hồ sơ đã được phê duyệt.', {
      caseStatus: record.status,
    });
  }
  return issueSingle(record, actor, record.approvedBy?.id ?? actor.userId, input);
}

/**
 * One decision for many approved cases with the list of beneficiaries attached (SPEC §5 batches, §6): for
 * the batch actions. The cases must be approved, of one province, program and campaign, and in no decision yet.
 * With `decisionId` (chosen and kept by a list job before it issues) a repeat after a crash completes and
 * answers the decision already stored under that id instead of refusing its cases as decided.
 */
export async function issueBatchDecision(
  actor: Actor,
  caseIds: readonly string[],
  input: SignerInput = {},
  decisionId?: string,
): Promise<DecisionRecord> {
  const stored = decisionId ? await decisionsRepository.findById(decisionId) : null;
  if (stored) {
    const decision = await ensurePdf(stored);
    await casesRepository.linkDecision(decision.caseIds, decision._id);
    return decision;
  }
  const ids = [...new Set(caseIds)];
  if (!ids.length) throw new ValidationError([{ path: 'caseIds', message: 'Cần ít nhất một hồ sơ' }]);
  const id = decisionId ? new Types.ObjectId(decisionId) : new Types.ObjectId();
  // Lines an earlier attempt under this id wrote before it died (its decision was never inserted: read above).
  await decisionLines.remove(id);
  const cases = new DecisionCases();
  const problems: { path: string; message: string }[] = [];
  // The next thousand cases are read while this thousand's lines are written.
  const read = (at: number) => {
    const reading = casesRepository.findByIds(ids.slice(at, at + CASES_AT_ONCE), DRAFTED_FIELDS);
    reading.catch(() => undefined); // awaited below; a loop left early must not leave it unhandled
    return reading;
  };
  let reading = read(0);
  for (let at = 0; at < ids.length; at += CASES_AT_ONCE) {
    const chunk = ids.slice(at, at + CASES_AT_ONCE);
    const found = new Map((await reading).map((c) => [String(c._id), c]));
    if (at + CASES_AT_ONCE < ids.length) reading = read(at + CASES_AT_ONCE);
    const fit: CaseRecord[] = [];
    chunk.forEach((caseId, i) => {
      const c = found.get(caseId);
      const path = `caseIds.${at + i}`;
      if (!c) problems.push({ path, message: 'Không tìm thấy hồ sơ' });
      else if (!isDecided(c.status)) problems.push({ path, message: `Hồ sơ ${c.code} chưa được phê duyệt` });
      else if (c.decisionId) problems.push({ path, message: `Hồ sơ ${c.code} đã có quyết định` });
      else fit.push(c);
    });
    if (ids.length === 1 && fit.length) return (await issueSingle(fit[0]!, actor, actor.userId, input, id)).decision;
    // Once a case is refused nothing is issued: the rest is only checked, to name every refused case.
    if (problems.length) continue;
    await decisionLines.insert(id, cases.caseIds.length + 1, await cases.add(fit));
  }
  if (problems.length) {
    await decisionLines.remove(id);
    throw new ValidationError(problems);
  }
  return (await issueDrafted(cases, null, actor, actor.userId, input, id)).decision;
}

/**
 * Called by the approve step once the case is approved: the approval stands whatever happens here. A failure
 * (database gone, a template problem) is logged and audited, and `POST /api/v1/cases/:id/decision` issues the
 * missing decision later; the case keeps `decisionId: null` meanwhile, which lists can find.
 */
export async function issueDecisionAfterApproval(
  actor: Actor,
  record: CaseRecord,
  approveBody: Record<string, unknown>,
): Promise<void> {
  const { signerName, signerTitle, decisionDate } = approveBody as SignerInput;
  const caseId = String(record._id);
  try {
    // The approval's case as the step left it: no need to read it again (the step answers with the link too).
    const { decision } = await issueDecisionForCase(actor, record, { signerName, signerTitle, decisionDate });
    record.decisionId = decision._id;
  } catch (error) {
    decisionSettings().logger.error(
      { err: error, caseId },
      'decision not issued after approval; POST /api/v1/cases/:id/decision issues it',
    );
    await recordAudit({
      action: 'decision.issue_failed',
      entity: 'case',
      entityId: caseId,
      actor,
      details: { message: String(error) },
    }).catch(() => undefined);
  }
}

/**
 * A revoked approval revokes its case's part of the decision, with the reason; the case keeps pointing at it.
 * A single decision is then revoked; a batch decision once all of its cases are.
 */
export async function revokeDecisionOfCase(
  actor: Actor,
  caseId: string,
  reason: string,
): Promise<DecisionRecord | null> {
  const decision = await decisionsRepository.findByCase(caseId);
  if (!decision) return null;
  const at = new Date();
  const added = await decisionsRepository.addRevocation(decision._id, {
    caseId: new Types.ObjectId(caseId),
    reason,
    by: { id: actor.userId, name: actor.name },
    at,
  });
  await decisionsRepository.revokeIfAllRevoked(decision._id, reason, at);
  if (added) {
    await recordAudit({
      action: 'decision.revoke',
      entity: 'decision',
      entityId: String(decision._id),
      actor,
      orgPath: decision.scopeOrgIds,
      details: { caseId, reason },
    });
  }
  return decisionsRepository.findById(String(decision._id));
}

/** The revoke step's hook: like issuing, a failure is logged, and the same repair route records it later. */
export async function revokeDecisionAfterRevocation(actor: Actor, caseId: string, reason: string): Promise<void> {
  try {
    await revokeDecisionOfCase(actor, caseId, reason);
  } catch (error) {
    decisionSettings().logger.error(
      { err: error, caseId },
      'decision not marked revoked; POST /api/v1/cases/:id/decision records it',
    );
  }
}
