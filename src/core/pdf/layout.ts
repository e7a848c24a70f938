/**
 * The page of Nghị định 30/2020/NĐ-CP, Phụ lục I: A4; margins 20–25 mm top and bottom, 30–35 mm left,
 * 15–20 mm right; Times-like type of 13–14 pt for the text (12–13 for the names in the header, 11 for the
 * list of recipients). Distances are in PDF points.
 */
export const mm = (value: number): number => (value * 72) / 25.4;

export const PAGE = {
  size: 'A4' as const,
  margins: { top: mm(20), bottom: mm(20), left: mm(30), right: mm(15) },
  width: 595.28,
  height: 841.89,
};

export const CONTENT_WIDTH = PAGE.width - PAGE.margins.left - PAGE.margins.right;
export const LEFT = PAGE.margins.left;
export const BOTTOM = PAGE.height - PAGE.margins.bottom;

export const SIZE = {
  header: 12,
  motto: 13,
  number: 13,
  dateLine: 13,
  title: 14,
  subject: 14,
  body: 13,
  recipientsTitle: 12,
  recipients: 11,
  signature: 13,
  verify: 9,
  annex: 11,
  pageNumber: 13,
};

/** First-line indent of a paragraph (1–1.27 cm) and the space after it (at least 6 pt). */
export const INDENT = mm(10);
export const PARAGRAPH_GAP = 6;
export const LINE_GAP = 1.5;

/** The header's two columns: the national title on the right takes what it needs, the organisations the rest. */
export const HEADER = {
  rightWidth: 253,
  get leftWidth() {
    return CONTENT_WIDTH - this.rightWidth;
  },
};
