import { Schema } from 'mongoose';
import { defineModel } from '../core/db/model.js';

const programSchema = new Schema(
  {
    code: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    /** Prefix of case codes: MAC-2026-000123. */
    codePrefix: { type: String, required: true, unique: true },
    active: { type: Boolean, default: true },
    /** The default rules (SPEC §4), validated by programs.schemas.ts before they are stored. */
    rules: { type: Schema.Types.Mixed, required: true },
  },
  { timestamps: true, collection: 'programs', minimize: false },
);

export const Program = defineModel('Program', programSchema);

/**
 * A province's changes to a program's rules. Kept apart from the program so the national defaults stay
 * intact; one document per program and province.
 */
const overrideSchema = new Schema(
  {
    _id: { type: String, required: true },
    programCode: { type: String, required: true },
    orgId: { type: Schema.Types.ObjectId, required: true },
    rules: { type: Schema.Types.Mixed, required: true },
    updatedBy: { id: String, name: String },
  },
  { timestamps: true, collection: 'program_overrides', minimize: false },
);

export const ProgramOverride = defineModel('ProgramOverride', overrideSchema);

export function overrideId(programCode: string, orgId: string): string {
  return `${programCode}:${orgId}`;
}
