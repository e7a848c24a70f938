/**
 * The issuer's part of a document's symbol (Nghị định 30/2020, Phụ lục VI: "Số: …/BC-LĐLĐ"): the
 * abbreviation an organisation's short name starts with, its leading words written in capitals, run together.
 * "LĐLĐ tỉnh Hà Tĩnh" gives LĐLĐ, "CĐ KKT Vũng Áng" CĐKKT, "CĐCS Công ty CP May" CĐCS, "TLĐLĐVN" itself.
 * Decisions of a province print LĐLĐ, which is what its short name gives. A short name with no such word
 * falls back on the initials of the full name ("Công đoàn Ngành Y tế" → CĐNYT).
 */
export function issuerSymbol(shortName: string, name: string): string {
  const isAbbreviation = (word: string) => /^\p{Lu}[\p{Lu}\d]*$/u.test(word);
  const leading: string[] = [];
  for (const word of shortName.trim().split(/\s+/)) {
    if (!isAbbreviation(word)) break;
    leading.push(word);
  }
  if (leading.length) return leading.join('');
  return name
    .trim()
    .split(/\s+/)
    .map((word) => word.charAt(0).toLocaleUpperCase('vi-VN'))
    .join('');
}

/** A report's number: blank for the office's register of outgoing papers, then BC (báo cáo) and the issuer. */
export function reportNumber(shortName: string, name: string): string {
  return `……/BC-${issuerSymbol(shortName, name)}`;
}
