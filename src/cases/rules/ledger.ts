import type { Types } from 'mongoose';

/** A member's ledger of what they received from one program (`member_benefits`, cases.model.ts; member-cap.ts). */
export interface BenefitEntry {
  caseId: Types.ObjectId;
  caseCode: string;
  amount: number;
  day: string;
  at: Date;
}

export interface MemberBenefitsRecord {
  _id: string;
  memberId: Types.ObjectId;
  programCode: string;
  version: number;
  entries: BenefitEntry[];
}
