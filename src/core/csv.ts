/**
 * The CSV files the service writes (bank transfer lists, reports, the list template): UTF-8 with a byte-order
 * mark, so that Excel shows the Vietnamese headers (SPEC §8), comma-separated, CRLF line ends.
 */

/**
 * A cell that a spreadsheet would read as a formula (= + - @, or a tab or carriage return that some
 * programs skip before one) gets a leading apostrophe, so that an account name such as "=HYPERLINK(…)"
 * stays text (CSV injection). Numbers are written as numbers and need nothing. XLSX cells take it too.
 */
export function neutralise(value: string | number): string | number {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function csvCell(value: string | number): string {
  const text = String(neutralise(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row as a line of the file, with its line end. */
export function csvLine(row: readonly (string | number)[]): string {
  return `${row.map(csvCell).join(',')}\r\n`;
}

/** The byte-order mark a file begins with. */
export const CSV_BOM = '\uFEFF';

/** The file: one line a row, every cell neutralised and quoted where it must be. */
export function csvFile(rows: readonly (readonly (string | number)[])[]): Buffer {
  return Buffer.from(CSV_BOM + rows.map(csvLine).join(''), 'utf8');
}
