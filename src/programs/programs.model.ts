import { defineModel } from '../core/db/model.js';
import { Schema } from 'mongoose';

const programSchema = new Schema(
  {
    code: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    /** Prefix of case codes: MAC-2026-000123. */
    codePrefix: { type: String, required: true, unique: true },
    active: { type: Boolean, default: true },
    /** The default rules (SPEC §4); a province's overrides are separate documents. */
    rules: { type: Schema.Types.Mixed, required: true },
  },
  { timestamps: true, collection: 'programs', minimize: false },
);

export const Program = defineModel('Program', programSchema);
