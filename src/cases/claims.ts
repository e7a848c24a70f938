import type { Types } from 'mongoose';
import { ConflictError } from '../core/errors.js';
import { isDuplicateKeyError, refusedAsDuplicates } from '../core/db/mongo-errors.js';
import type { ProgramRules } from '../programs/index.js';
import { BenefitClaim, Case } from './cases.model.js';
import type { CaseRecord } from './cases.repository.js';
import { FINAL_WITHOUT_BENEFIT, type CaseStatus } from './workflow.js';

/**
 * Duplicate beneficiaries (SPEC §5) are stopped by a claim document with a unique id per member × program
 * (`once_per_member`) or member × program × campaign (`once_per_campaign`), inserted at submission. Two
 * racing submissions cannot both insert it, on any number of app instances; no read-then-write check.
 */
export function claimKeyOf(
  record: Pick<CaseRecord, 'programCode' | 'memberId' | 'campaignId'>,
  rules: ProgramRules,
): string {
  const member = String(record.memberId);
  return rules.frequency === 'once_per_member'
    ? `${record.programCode}:member:${member}`
    : `${record.programCode}:campaign:${String(record.campaignId)}:member:${member}`;
}

/** A claim left behind by an interrupted submission is ignored after this long. */
const ORPHAN_AFTER_MS = 5 * 60_000;

export interface TakenClaim {
  key: string;
  /** False when this case already held it (a resubmission after a return). */
  created: boolean;
}

/** The claim document of a case (`run`: the list chunk inserting it). */
function claimOf(key: string, record: CaseRecord, run?: string) {
  return {
    _id: key,
    caseId: record._id,
    caseCode: record.code,
    memberId: record.memberId,
    programCode: record.programCode,
    campaignId: record.campaignId ?? null,
    ...(run ? { run } : {}),
  };
}

export async function takeClaim(record: CaseRecord, key: string): Promise<TakenClaim> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await BenefitClaim.create(claimOf(key, record));
      return { key, created: true };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const holder = await BenefitClaim.findById(key).lean();
    if (!holder) continue; // released in between: try again
    if (String(holder.caseId) === String(record._id)) {
      // Inserted by a list chunk for this case: taken as this submission's own, so that the chunk, finished after a
      // crash, no longer gives it back (`releaseUnrecordedClaims`); gone meanwhile: try again.
      const filter = { _id: key, caseId: record._id, run: holder.run };
      if (holder.run && !(await BenefitClaim.updateOne(filter, { $unset: { run: 1 } })).matchedCount) continue;
      return { key, created: false };
    }
    if (await isStale(holder)) {
      await BenefitClaim.deleteOne({ _id: key, caseId: holder.caseId });
      continue;
    }
    throw new ConflictError(
      'DUPLICATE_BENEFICIARY',
      `Đoàn viên đã có hồ sơ ${holder.caseCode} cùng chương trình${record.campaignId ? ' trong đợt này' : ''}; không thể nhận hỗ trợ trùng.`,
      { duplicateCaseCode: holder.caseCode, duplicateCaseId: String(holder.caseId) },
    );
  }
  throw new ConflictError(
    'DUPLICATE_BENEFICIARY',
    'Đoàn viên đang có hồ sơ khác được xử lý cùng lúc; vui lòng thử lại.',
  );
}

/**
 * A claim is stale when its case ended without benefit, or when its case never recorded it (the submission
 * was interrupted between the two writes) and it is old enough that no submission can still be running.
 */
async function isStale(claim: { _id: string; caseId: unknown; createdAt?: Date }): Promise<boolean> {
  const holder = await Case.findById(claim.caseId, { status: 1, claimKey: 1 }).lean<{
    status: CaseStatus;
    claimKey: string | null;
  }>();
  if (!holder || FINAL_WITHOUT_BENEFIT.includes(holder.status)) return true;
  const old = !claim.createdAt || Date.now() - claim.createdAt.getTime() > ORPHAN_AFTER_MS;
  return holder.claimKey !== claim._id && old;
}

export async function releaseClaim(key: string | null | undefined, caseId: Types.ObjectId): Promise<void> {
  if (key) await BenefitClaim.deleteOne({ _id: key, caseId });
}

/**
 * Gives back a claim a submission took and then could not record, unless the case records it by now: when
 * the same case is submitted twice at once, the request that inserted the claim may lose the update to the
 * one that found the claim already its own, and must not take the winner's claim away with it.
 */
export async function releaseUnrecordedClaim(key: string, caseId: Types.ObjectId): Promise<void> {
  const holder = await Case.findById(caseId, { claimKey: 1 }).lean<{ claimKey: string | null }>();
  if (holder?.claimKey !== key) await releaseClaim(key, caseId);
}

/**
 * The claims of many first submissions at once (a list's chunk, batches/list-submit.ts), inserted in one unordered
 * write, each naming the chunk (`run`). Answers the ids of the cases whose claim was refused because it exists (held
 * by another case, or left by an interrupted submission): those go the single way, whose `takeClaim` tells which.
 */
export async function takeClaimsAtOnce(
  claims: readonly { key: string; record: CaseRecord }[],
  run: string,
): Promise<Set<string>> {
  if (!claims.length) return new Set();
  try {
    await BenefitClaim.insertMany(
      claims.map(({ key, record }) => claimOf(key, record, run)),
      { ordered: false },
    );
    return new Set();
  } catch (error) {
    return new Set([...refusedAsDuplicates(error)].map((i) => String(claims[i]!.record._id)));
  }
}

/**
 * The claims a list chunk (`run`, its mark) inserted and then could not record, the cases as read after its update
 * (`after`): a claim its case does not record goes, if it still names the chunk, one delete each in one bulk write.
 * A claim of the same key that a single submission of the case took meanwhile (inserted by it, or taken as its own:
 * `takeClaim`) names no chunk and stays, also when a takeover finishes the chunk after a crash while that submission
 * is between taking the claim and recording it.
 */
export async function releaseUnrecordedClaims(
  claims: readonly { key: string; caseId: Types.ObjectId }[],
  after: ReadonlyMap<string, Pick<CaseRecord, 'claimKey'>>,
  run: string,
): Promise<void> {
  await releaseClaimsAtOnce(
    claims.filter(({ key, caseId }) => after.get(String(caseId))?.claimKey !== key),
    { run },
  );
}

/**
 * `releaseClaim` for many cases (a list's chunk of rejections): one delete by `_id` and case each (and `also`), in
 * one bulk write. Done twice (a chunk finished again after a crash), it deletes nothing more: a claim taken meanwhile
 * by another case names that case.
 */
export async function releaseClaimsAtOnce(
  claims: readonly { key: string; caseId: Types.ObjectId }[],
  also: { run?: string } = {},
): Promise<void> {
  if (!claims.length) return;
  await BenefitClaim.bulkWrite(
    claims.map(({ key, caseId }) => ({ deleteOne: { filter: { _id: key, caseId, ...also } } })),
    { ordered: false },
  );
}
