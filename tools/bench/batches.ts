/**
 * Lists (SPEC §5 batches, §14): reading and checking a 5,000-row XLSX (zip guard, exceljs, row rules) beside
 * exceljs loading the same file; reading and checking a 50,000-row CSV as the import job does (streamed, in
 * chunks of 250) beside csv-parse's stream alone, with peak memory. The database part (an import through the
 * service, the approval of a 2,000-case list) is in batches-database.ts, run on a started engine.
 */
import { createReadStream, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parse as parseCsvStream } from 'csv-parse';
import { parse as parseCsvSync } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { IMPORT_CHUNK_ROWS, ListEntries } from '../../src/batches/list-entries.js';
import { MAX_LIST_ROWS, readListRows } from '../../src/batches/list-file.js';
import { columnsOf, entryOf } from '../../src/batches/list-rows.js';
import type { Benchmark } from './runner.js';

const HEADER = [
  'Họ và tên',
  'Số CCCD',
  'Ngày sinh',
  'Giới tính',
  'Ngày vào công đoàn',
  'Số điện thoại',
  'Số tiền',
  'Hoàn cảnh',
];
const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Võ', 'Đặng', 'Bùi'];
const MIDDLE = ['Thị', 'Văn', 'Đức', 'Ngọc', 'Minh'];
const GIVEN = ['Hường', 'Kỷ', 'Ẩn', 'Ổn', 'Ỹ', 'Lan', 'Sơn', 'Thảo', 'Phúc'];

/**
 * A Tết list of valid rows as a union fills it in Excel: real names (a name has no digits), CCCDs from
 * `firstCitizenId` on, one per row, so that lists made with different starts never share a member.
 */
export async function workbookOf(rows: number, firstCitizenId = 42_085_000_000): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Danh sách');
  sheet.addRow(HEADER);
  for (let i = 0; i < rows; i += 1) {
    const name = `${SURNAMES[i % SURNAMES.length]!} ${MIDDLE[i % MIDDLE.length]!} ${GIVEN[i % GIVEN.length]!}`;
    sheet.addRow([
      name,
      String(firstCitizenId + i).padStart(12, '0'),
      '12/04/1985',
      i % 2 ? 'Nam' : 'Nữ',
      '01/03/2015',
      '0912345678',
      '1.000.000',
      'Hoàn cảnh khó khăn',
    ]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

let list: Buffer | null = null;
const listOf5000 = async () => (list ??= await workbookOf(5_000));

/** The same kind of list as a CSV of 50,000 rows (about 5 MB, with BOM), written once to a temp file. */
let csvPath: string | null = null;
function csvOf50000(): string {
  if (csvPath) return csvPath;
  const lines = [HEADER.join(',')];
  for (let i = 0; i < MAX_LIST_ROWS; i += 1) {
    const name = `${SURNAMES[i % SURNAMES.length]!} ${MIDDLE[i % MIDDLE.length]!} ${GIVEN[i % GIVEN.length]!}`;
    const id = String(42_085_000_000 + i).padStart(12, '0');
    lines.push(`${name},${id},12/04/1985,${i % 2 ? 'Nam' : 'Nữ'},01/03/2015,0912345678,"1.000.000",Hoàn cảnh khó khăn`);
  }
  const path = join(tmpdir(), `mai-am-bench-list-${process.pid}.csv`);
  writeFileSync(path, `\uFEFF${lines.join('\r\n')}\r\n`);
  process.once('exit', () => rmSync(path, { force: true }));
  return (csvPath = path);
}

/** As the import job reads it: streamed, checked a chunk at a time, nothing kept but a key per CCCD. */
async function readInChunks(path: string): Promise<number> {
  const entries = new ListEntries(() => createReadStream(path));
  let read = 0;
  try {
    for (let part = await entries.part(0, IMPORT_CHUNK_ROWS); part.length;) {
      read += part.length;
      part = await entries.part(read, read + IMPORT_CHUNK_ROWS);
    }
  } finally {
    await entries.close();
  }
  if (read !== MAX_LIST_ROWS) throw new Error(`read ${read} rows`);
  return read;
}

async function bareCsvParse(path: string): Promise<number> {
  let records = 0;
  for await (const _record of createReadStream(path).pipe(parseCsvStream({ bom: true, relax_column_count: true })))
    records += 1;
  return records;
}

/** The floor of both 50,000-row CSV reads: csv-parse's stream alone over the same file. */
const csvParseFloor: Benchmark['baseline'] = {
  name: 'csv-parse stream only',
  prepare: async () => csvOf50000(),
  run: () => bareCsvParse(csvOf50000()),
};

export const batchBenchmarks: Benchmark[] = [
  {
    name: 'List import, 5,000-row XLSX read and checked (zip guard, exceljs, row rules)',
    runs: 5,
    memory: { runs: 3 },
    baseline: {
      name: 'exceljs load only',
      run: async () => new ExcelJS.Workbook().xlsx.load((await listOf5000()) as unknown as ArrayBuffer),
    },
    subject: {
      name: 'readListRows + row rules',
      run: async () => {
        const file = await readListRows(Readable.from([await listOf5000()]));
        const columns = columnsOf(file.header);
        return file.rows.map((row) => entryOf(row, columns));
      },
    },
  },
  {
    name: 'List import, 50,000-row CSV read and checked as the import job does (streamed, chunks of 250)',
    runs: 3,
    items: { count: MAX_LIST_ROWS, unit: 'rows' },
    memory: { runs: 3 },
    baseline: csvParseFloor,
    subject: {
      name: 'ListEntries in chunks',
      prepare: async () => csvOf50000(),
      run: () => readInChunks(csvOf50000()),
    },
  },
  {
    name: 'The same CSV read whole as before streaming (for scale): csv-parse/sync and the row rules on every row',
    runs: 3,
    items: { count: MAX_LIST_ROWS, unit: 'rows' },
    memory: { runs: 3 },
    baseline: csvParseFloor,
    subject: {
      name: 'whole-file read',
      prepare: async () => csvOf50000(),
      run: async () => {
        const text = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(csvOf50000()));
        const records = parseCsvSync(text, {
          relax_column_count: true,
          skip_empty_lines: true,
          trim: true,
          info: true,
        }) as unknown as {
          record: string[];
          info: { lines: number };
        }[];
        const [header, ...rows] = records.map(({ record, info }) => ({
          row: info.lines,
          cells: record,
          numeric: record.map(() => false),
        }));
        const columns = columnsOf(header!);
        return rows.map((row) => entryOf(row, columns));
      },
    },
  },
];
