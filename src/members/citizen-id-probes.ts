import { Schema } from 'mongoose';
import { recordAudit } from '../audit/index.js';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
import { defineModel } from '../core/db/model.js';
import { isInScope, type Actor, type Principal } from '../core/scope.js';
import { mask } from '../core/shared/masking.js';
import { membersRepository } from './members.repository.js';

/**
 * "Số CCCD đã có trong hệ thống" for a member outside the caller's subtree tells the caller that this
 * person is a union member elsewhere. The answer stays (the CCCD is unique nationwide, SPEC §3), but each
 * such conflict is counted per user and audited with the CCCD masked, so someone trying CCCDs one by one
 * shows up in the audit log.
 */
const probeSchema = new Schema(
  {
    _id: { type: String, required: true },
    count: { type: Number, required: true },
    lastAt: { type: Date, required: true },
  },
  { collection: 'citizen_id_probes', versionKey: false },
);
export const CitizenIdProbe = defineModel('CitizenIdProbe', probeSchema);

/** Counts one more conflict for the user; the count document is created before first use (ENGINE-NOTES.md). */
async function countProbe(userId: string): Promise<number> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const before = await CitizenIdProbe.findOneAndUpdate(
      { _id: userId },
      { $inc: { count: 1 }, $set: { lastAt: new Date() } },
      { returnDocument: 'before' },
    ).lean();
    if (before) return before.count + 1;
    try {
      await CitizenIdProbe.create({ _id: userId, count: 1, lastAt: new Date() });
      return 1;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
  throw new Error(`citizen id probes of ${userId}: could not count`);
}

/** Called when a write failed on a unique value: audits it when the CCCD belongs to a member out of scope. */
export async function noteCitizenIdConflict(
  principal: Principal,
  actor: Actor,
  error: unknown,
  citizenId: string | undefined,
): Promise<void> {
  if (!citizenId || !isDuplicateKeyError(error)) return;
  const [holder] = await membersRepository.findByCitizenIds([citizenId]);
  if (!holder || isInScope(principal, holder.orgPath.map(String))) return;
  const count = await countProbe(principal.userId);
  await recordAudit({
    action: 'member.citizen_id_conflict_outside_scope',
    entity: 'user',
    entityId: principal.userId,
    actor,
    orgPath: principal.orgPath,
    details: { citizenId: mask(citizenId), conflictsByUser: count },
  });
}
