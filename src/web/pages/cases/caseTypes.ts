/** The shapes the case pages read besides `CaseRecord` (api/types.ts); field names as the API answers them. */
export type { ProgramRules } from '../../../programs/builtin-programs';

export interface MemberSummary {
  id: string;
  fullName: string;
  citizenId: string;
  dateOfBirth: string;
  orgId: string;
}

export interface Fund {
  id: string;
  code: string;
  name: string;
  year: number;
  allocated: number;
  committed: number;
  available: number;
}

export interface DecisionSummary {
  id: string;
  number: string;
  issuedAt: string;
  status: 'issued' | 'revoked';
  signerName: string;
  programCode: string;
}

/** The case as GET /cases/:id answers it, with the fields the shared `CaseRecord` leaves out. */
export interface CaseFacts {
  orgPath: string[];
  verifiedBy: { id: string; name: string } | null;
  approvedBy: { id: string; name: string } | null;
}
