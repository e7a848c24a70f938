import type { HeaderPrint } from '../../core/pdf/header.js';

/**
 * Everything printed on a decision, as plain data: the renderer draws exactly this and reads nothing else,
 * so the same record always gives the same bytes.
 */
export interface AnnexRow {
  name: string;
  citizenIdMasked: string;
  unit: string;
  amount: number;
}

/** The header's number, date (the decision date), place, parent and issuer, and what the decision says. */
export interface DecisionPrint extends HeaderPrint {
  subject: string;
  decidingBody: string;
  legalBases: string[];
  articles: string[];
  recipients: string[];
  signer: { title: string; name: string };
  verifyUrl: string;
  /** Present for a batch decision: the list of beneficiaries attached to it. */
  annex?: { rows: AnnexRow[]; total: number };
}
