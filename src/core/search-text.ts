/** Vietnamese letters without their marks, đ → d and Đ → D: "Mái ấm Công đoàn" → "Mai am Cong doan". */
export function withoutDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}

/**
 * The key that name search matches: lower case, Vietnamese diacritics removed, đ → d, spaces collapsed.
 * Stored beside the name because the embedded engine ignores collations (ENGINE-NOTES.md), and it is
 * also the cheaper query on real MongoDB.
 */
export function searchKey(text: string): string {
  return withoutDiacritics(text).toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Escapes a user's text for a literal match inside a regular expression. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
