import type { Types } from 'mongoose';
import { chunkEntryId, recordAuditsOnce, storedEntryIds, type AuditInput } from '../audit/index.js';
import type { Actor } from '../core/scope.js';
import { casesRepository, type CaseRecord, type OwingCase } from './cases.repository.js';

/**
 * A case's creation (`POST /api/v1/cases`) inserts the case and then writes its audit entry; a crash between the two
 * used to leave the creation unaudited for good. The case is now inserted with `creationAuditDue`, and its entry's id
 * is made of the case's id (`recordAuditsOnce` with the case as its chunk), so that whoever writes it, it stands once.
 * The service's round (interrupted-steps.ts) takes the flagged cases older than a request can take: the entries that
 * are missing are written, by the officer who created the case, and the flags go in one bulk write.
 *
 * Nothing more on the creation's path than a field and its sparse index, and the flags go in bulk later: a run of
 * `step_runs` as an edit has (audited-writes.ts) cost a creation about a fifth of its throughput (docs/jobs.md).
 */
type Created = Pick<CaseRecord, '_id' | 'code' | 'orgPath'>;

/** Flagged cases handled at once by the round. */
const AT_ONCE = 500;

export const creationAudit = (record: Created, actor: Actor | null): AuditInput => ({
  action: 'case.create',
  entity: 'case',
  entityId: String(record._id),
  actor,
  orgPath: record.orgPath,
  details: { code: record.code },
});

/** The creation's entry, named by its case: written once whoever writes it (the request, or the round). */
export async function recordCreation(record: Created, actor: Actor | null): Promise<void> {
  await recordAuditsOnce([creationAudit(record, actor)], { chunk: String(record._id), lookFirst: false });
}

const entryIdOf = (caseId: Types.ObjectId) =>
  chunkEntryId(String(caseId), { action: 'case.create', entity: 'case', entityId: String(caseId) });

/** One page of flagged cases: the missing entries written, then every flag dropped. Answers the entries written. */
async function settle(cases: readonly OwingCase[]): Promise<number> {
  const ids = cases.map((c) => entryIdOf(c._id));
  const stored = await storedEntryIds(ids);
  const missing = cases.filter((_, i) => !stored.has(String(ids[i])));
  for (const { createdBy, ...c } of missing)
    await recordCreation(
      c,
      createdBy ? { userId: createdBy.id, name: createdBy.name, requestId: 'create-finish' } : null,
    );
  await casesRepository.dropCreationAuditDue(cases.map((c) => c._id));
  return missing.length;
}

/**
 * The round's part: every case created longer than `olderThanMs` ago (its id's time) that still owes its creation's
 * entry has it, once. Answers how many entries the round wrote (creations cut off by a crash or an error).
 */
export async function auditOwedCreations(olderThanMs: number): Promise<number> {
  const before = Date.now() - olderThanMs;
  let written = 0;
  let page: OwingCase[] = [];
  for await (const c of casesRepository.owingCreationAudit()) {
    if (c._id.getTimestamp().getTime() > before) continue;
    page.push(c);
    if (page.length < AT_ONCE) continue;
    written += await settle(page);
    page = [];
  }
  if (page.length) written += await settle(page);
  return written;
}
