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
  /**
   * Present for a batch decision: the list of beneficiaries attached to it, in order. Taken one by one as the
   * list is drawn (an array, or pages read from the database), so a list of 50,000 is never all laid out at once.
   */
  annex?: { rows: Iterable<AnnexRow> | AsyncIterable<AnnexRow>; total: number };
}
