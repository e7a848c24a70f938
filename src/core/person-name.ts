/**
 * One rule for the names of people everywhere (members, imported list rows, users): letters of any script
 * (Vietnamese included, with their marks), spaces, `.`, `-` and `'`, starting with a letter, 2–100
 * characters once normalised to NFC with runs of spaces made one. So a name can never be a spreadsheet
 * formula (`=HYPERLINK(…)`, `+…`, `@…`), markup (`<script>`), a bidi override or a control character.
 */
const PERSON_NAME = /^[\p{L}\p{M}][\p{L}\p{M} .'-]{1,99}$/u;

export const PERSON_NAME_RULE =
  "chỉ gồm chữ cái, khoảng trắng và các dấu . - ' (từ 2 đến 100 ký tự, bắt đầu bằng chữ cái)";

/** NFC, trimmed, spaces collapsed: the form a name is stored and compared in. */
export function normalisePersonName(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/gu, ' ');
}

export function isPersonName(normalised: string): boolean {
  return PERSON_NAME.test(normalised);
}
