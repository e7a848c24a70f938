/**
 * Lists (SPEC §5 batches): reading and checking a 5,000-row XLSX (zip guard, exceljs, row rules) beside exceljs
 * loading the same file. The database part of an import and the approval of a 2,000-case list are not here yet:
 * they need an engine started for the benchmark (see the README, "Lists and batches").
 */
import ExcelJS from 'exceljs';
import { readListFile } from '../../src/batches/list-file.js';
import { columnsOf, entryOf } from '../../src/batches/list-rows.js';
import type { Benchmark } from './runner.js';

const HEADER = ['Họ và tên', 'Số CCCD', 'Ngày sinh', 'Giới tính', 'Ngày vào công đoàn', 'Số điện thoại', 'Số tiền', 'Hoàn cảnh'];

async function workbookOf(rows: number): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Danh sách');
  sheet.addRow(HEADER);
  for (let i = 0; i < rows; i += 1) {
    sheet.addRow([`Nguyễn Thị Hường ${i}`, String(42_085_000_000 + i).padStart(12, '0'), '12/04/1985', 'Nữ', '01/03/2015', '0912345678', '1.000.000', 'Hoàn cảnh khó khăn']);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

let list: Buffer | null = null;
const listOf5000 = async () => (list ??= await workbookOf(5_000));

export const batchBenchmarks: Benchmark[] = [
  {
    name: 'List import, 5,000-row XLSX read and checked (zip guard, exceljs, row rules)', runs: 5, memory: { runs: 3 },
    baseline: { name: 'exceljs load only', run: async () => new ExcelJS.Workbook().xlsx.load((await listOf5000()) as unknown as ArrayBuffer) },
    subject: {
      name: 'readListFile + row rules',
      run: async () => {
        const file = await readListFile(await listOf5000());
        const columns = columnsOf(file.header);
        return file.rows.map((row) => entryOf(row, columns));
      },
    },
  },
];
