import { Schema, type InferSchemaType, type Types } from 'mongoose';
import { defineModel } from '../core/db/model.js';

/** A campaign (đợt) groups cases of one program in one province, e.g. "Tết Bính Ngọ 2026". */
const campaignSchema = new Schema(
  {
    code: { type: String, required: true, unique: true },
    programCode: { type: String, required: true },
    name: { type: String, required: true },
    /** Calendar days in Vietnam time, inclusive. */
    opensAt: { type: String, required: true },
    closesAt: { type: String, required: true },
    budget: { type: Number, required: true },
    orgId: { type: Schema.Types.ObjectId, required: true },
    orgPath: { type: [Schema.Types.ObjectId], required: true, index: true },
    /** Kept with $inc on every approval and revocation, so the budget is shown against it without a scan. */
    approvedAmount: { type: Number, default: 0 },
    approvedCount: { type: Number, default: 0 },
    /** The chunks of list approvals counted in the totals, until the list's job ends (`addApprovedOnce`). */
    approveRuns: { type: [String], default: undefined, private: true },
    searchKey: { type: String, required: true, private: true },
    createdBy: { id: String, name: String },
  },
  { timestamps: true, collection: 'campaigns' },
);

export type CampaignDoc = InferSchemaType<typeof campaignSchema> & { _id: Types.ObjectId };
export const Campaign = defineModel('Campaign', campaignSchema);
