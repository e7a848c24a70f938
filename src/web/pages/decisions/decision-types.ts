import type { Person } from '../../api/types';

/** A decision as GET /decisions lists it (without lines, content and revocations). */
export interface DecisionSummary {
  id: string;
  number: string;
  issuedAt: string;
  issuerName: string;
  kind: 'single' | 'batch';
  signerName: string;
  signerTitle: string;
  programCode: string;
  campaignId: string | null;
  caseIds: string[];
  totalAmount: number;
  status: 'issued' | 'revoked';
  revokedAt: string | null;
  revokeReason: string | null;
  pdfUrl: string;
}

/** GET /decisions/:id: with the public verification address printed in its QR code. */
export interface DecisionDetail extends DecisionSummary {
  verifyUrl: string;
  revocations: { caseId: string; reason: string; by: Person; at: string }[];
  lines: { caseId: string; caseCode: string; memberName: string; amount: number }[];
}
