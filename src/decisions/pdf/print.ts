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

export interface DecisionPrint {
  /** `15/QĐ-LĐLĐ` */
  number: string;
  /** The decision date, `YYYY-MM-DD` (Vietnam). */
  issuedAt: string;
  place: string;
  parentName: string;
  issuerName: string;
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
