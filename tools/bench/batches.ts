/**
 * Lists (SPEC §5 batches): reading and checking a 5,000-row XLSX (zip guard, exceljs, row rules) beside exceljs
 * loading the same file. The database part (an import through the service, the approval of a 2,000-case list)
 * is in batches-database.ts, run with the database benchmarks on a started engine.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { readListRows } from '../../src/batches/list-file.js';
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
];
