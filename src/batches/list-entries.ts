import type { Readable } from 'node:stream';
import { openListFile, type ListFile, type ListRow } from './list-file.js';
import { columnsOf, entryOf, isRejected, type ListColumns, type ListEntry, type RejectedRow } from './list-rows.js';

/** Rows made into cases at once: one member insert, one case insert, one progress write each. */
export const IMPORT_CHUNK_ROWS = 250;

export type CheckedRow = ListEntry | RejectedRow;

/** A row refused for a reason found beyond the row itself. */
export function rejectRow(entry: Pick<ListEntry, 'row' | 'citizenId' | 'fullName'>, reason: string): RejectedRow {
  return { row: entry.row, citizenId: entry.citizenId, fullName: entry.fullName, reasons: [reason] };
}

/**
 * The checked rows of a list, a part at a time, in one pass over the file: only the part asked for is held,
 * with one compact key per valid row read so far (the CCCD as a number, and its first row) so that a CCCD met
 * again is refused naming its first row, whichever part the two rows are in. Parts are asked in the file's
 * order (a job's chunks); a part before the one last read starts the file again.
 */
export class ListEntries {
  private file: ListFile | null = null;
  private rows: AsyncIterator<ListRow> | null = null;
  private columns: ListColumns | null = null;
  /** Data rows read so far. */
  private read = 0;
  private readonly firstRow = new Map<number, number>();

  constructor(private readonly open: () => Readable) {}

  /** The checked rows `from` to `to` (data rows counted from 0, the header not counted). */
  async part(from: number, to: number): Promise<CheckedRow[]> {
    if (!this.file || from < this.read) await this.restart();
    const part: CheckedRow[] = [];
    while (this.read < to) {
      const next = await this.rows!.next();
      if (next.done) break;
      const index = this.read;
      this.read += 1;
      const entry = this.check(next.value);
      if (index >= from) part.push(entry);
    }
    return part;
  }

  /** Every checked row of the file (a list imported in one go). */
  async all(): Promise<CheckedRow[]> {
    return this.part(0, Number.POSITIVE_INFINITY);
  }

  async close(): Promise<void> {
    await this.file?.close();
    this.file = null;
  }

  private async restart(): Promise<void> {
    await this.close();
    this.file = await openListFile(this.open());
    this.columns = columnsOf(this.file.header);
    this.rows = this.file.rows[Symbol.asyncIterator]();
    this.read = 0;
    this.firstRow.clear();
  }

  private check(row: ListRow): CheckedRow {
    const entry = entryOf(row, this.columns!);
    if (isRejected(entry)) return entry;
    // Twelve digits: exact as a number, and a fraction of the memory of the string.
    const key = Number(entry.citizenId);
    const first = this.firstRow.get(key);
    if (first === undefined) {
      this.firstRow.set(key, entry.row);
      return entry;
    }
    return rejectRow(entry, `Số CCCD trùng với dòng ${first} trong cùng tệp`);
  }
}
