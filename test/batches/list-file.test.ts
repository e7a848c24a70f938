/**
 * Reading a list as it streams (SPEC §14 "lists of 50,000"): a CSV is decoded and parsed piece by piece, so
 * the bytes may arrive cut anywhere (inside a character, a line end, a quoted cell), and a list over the limit
 * is refused while it is read, without reading the rest. The HTTP tests (import.test.ts) cover the answers.
 */
import { Readable } from 'node:stream';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { ListEntries } from '../../src/batches/list-entries.js';
import { MAX_LIST_ROWS, openListFile, readListRows } from '../../src/batches/list-file.js';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../../src/core/errors.js';
import { csvOf, listRow, VN_HEADER, xlsxOf, type Cell } from './batch-fixtures.js';

/** The bytes in pieces of `size`: every multi-byte character and CRLF of the list is cut somewhere. */
function inPieces(bytes: Buffer, size: number): Readable {
  return Readable.from(
    Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size)),
  );
}

const rows: Cell[][] = [
  listRow({ fullName: 'Nguyễn Thị Ỹ', situation: 'Nhà dột; "mưa" to\r\nvà lũ' }),
  listRow({ fullName: 'Đặng Văn Kỷ' }),
  listRow({ fullName: 'Phạm Thị Ẩn', amount: '1.500.000' }),
];

async function refusal(read: () => Promise<unknown>): Promise<unknown> {
  try {
    await read();
  } catch (error) {
    return error;
  }
  return null;
}

describe('batches: reading a list as it streams', () => {
  it('when a CSV (with BOM, commas or semicolons) arrives cut into pieces of any size, then its rows are those of the whole file', async () => {
    for (const delimiter of [',', ';']) {
      const bytes = csvOf(rows, { delimiter });
      const whole = await readListRows(Readable.from([bytes]));
      expect(whole.format).to.equal('csv');
      expect(whole.rows.map((r) => r.cells[0])).to.deep.equal(['Nguyễn Thị Ỹ', 'Đặng Văn Kỷ', 'Phạm Thị Ẩn']);
      expect(whole.rows[0]!.cells[7]).to.equal('Nhà dột; "mưa" to\r\nvà lũ');
      for (const size of [1, 2, 3, 7, 64]) {
        expect(await readListRows(inPieces(bytes, size)), `${delimiter} in pieces of ${size}`).to.deep.equal(whole);
      }
    }
  });

  it('when the list is an XLSX read from a stream, then it gives the rows of the same list as a CSV', async () => {
    const fromXlsx = await readListRows(inPieces(await xlsxOf(rows), 4096));
    const fromCsv = await readListRows(Readable.from([csvOf(rows)]));
    expect(fromXlsx.format).to.equal('xlsx');
    expect(fromXlsx.rows.map((r) => r.cells.slice(0, 5))).to.deep.equal(fromCsv.rows.map((r) => r.cells.slice(0, 5)));
  });

  it('when an XLSX has its parts in any order (the workbook last, the sheet before its strings and styles), then its rows are the same', async () => {
    const written = await JSZip.loadAsync(
      await xlsxOf([[...listRow({ fullName: 'Nguyễn Thị Ỹ' }).slice(0, 2), new Date(Date.UTC(1990, 5, 15))]]),
    );
    const names = Object.keys(written.files).filter((name) => !written.files[name]!.dir);
    const inOrder = async (order: string[]) => {
      const zip = new JSZip();
      for (const name of order) zip.file(name, await written.file(name)!.async('nodebuffer'));
      const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', streamFiles: true });
      return readListRows(Readable.from([bytes]));
    };
    const first = ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels'];
    const last = ['xl/styles.xml', 'xl/sharedStrings.xml', 'xl/worksheets/sheet1.xml'];
    const excelOrder = [...first, ...names.filter((n) => !first.includes(n) && !last.includes(n)), ...last];
    expect([...excelOrder].sort()).to.deep.equal([...names].sort());
    const expected = await inOrder(excelOrder);
    expect(expected.rows[0]!.cells.slice(0, 3)).to.deep.equal([
      'Nguyễn Thị Ỹ',
      expected.rows[0]!.cells[1],
      '1990-06-15',
    ]);
    // exceljs' own writer puts the sheet before its shared strings and styles, and the workbook part last.
    const sheetFirst = ['xl/worksheets/sheet1.xml', ...names.filter((n) => n !== 'xl/worksheets/sheet1.xml')];
    const workbookLast = [...names.filter((n) => n !== 'xl/workbook.xml'), 'xl/workbook.xml'];
    for (const order of [[...excelOrder].reverse(), sheetFirst, workbookLast, [...sheetFirst].reverse()]) {
      expect(await inOrder(order), order.join(' ')).to.deep.equal(expected);
    }
  });

  it("when the list is on the workbook's first tab but not in its first sheet part, then the first tab is read", async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Ghi chú').addRow(['Danh sách đã rà soát với công đoàn cơ sở']);
    const list = workbook.addWorksheet('Danh sách');
    list.addRow([...VN_HEADER]);
    list.addRow(listRow({ fullName: 'Đặng Văn Kỷ' }));
    // The union dragged the list's tab to the front: Excel reorders the workbook's tabs and keeps the parts' names,
    // so the first tab is sheet2.xml.
    const zip = await JSZip.loadAsync(await workbook.xlsx.writeBuffer());
    const tabs = await zip.file('xl/workbook.xml')!.async('string');
    const [note, listed] = tabs.match(/<sheet [^>]*\/>/g)!;
    expect(listed).to.contain('Danh sách');
    zip.file('xl/workbook.xml', tabs.replace(`${note!}${listed!}`, `${listed!}${note!}`));
    const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    const read = await readListRows(Readable.from([bytes]));
    expect(read.header.cells).to.deep.equal([...VN_HEADER]);
    expect(read.rows.map((r) => r.cells[0])).to.deep.equal(['Đặng Văn Kỷ']);

    // A hidden tab in front is passed over: the first tab the union sees is read.
    zip.file('xl/workbook.xml', tabs.replace(note!, note!.replace('state="visible"', 'state="hidden"')));
    const behindHidden = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    expect(await readListRows(Readable.from([behindHidden]))).to.deep.equal(read);
  });

  it('when one list written by exceljs is read 400 times, then every read gives its rows', async () => {
    // exceljs' own `parse` lost the parts after a sheet it had set aside in about one read in 150 to 300 of such a
    // file (the demo list was once refused as not a list so); not timed, and a failure here is never a slow machine.
    const bytes = await xlsxOf(rows);
    const expected = await readListRows(Readable.from([bytes]));
    expect(expected.rows.map((r) => r.cells[0])).to.deep.equal(['Nguyễn Thị Ỹ', 'Đặng Văn Kỷ', 'Phạm Thị Ẩn']);
    let refused = 0;
    for (let read = 0; read < 400; read += 1) {
      const again = await readListRows(Readable.from([bytes])).catch(() => null);
      if (!again || JSON.stringify(again) !== JSON.stringify(expected)) refused += 1;
    }
    expect(refused).to.equal(0);
  });

  it('when a CSV has more rows than the limit, then 413 at the first row over it, and the rest of the file is never read', async () => {
    let produced = 0;
    const header = csvOf([]);
    async function* lines(): AsyncGenerator<Buffer> {
      yield header;
      for (let i = 0; i < MAX_LIST_ROWS + 20_000; i += 1) {
        produced += 1;
        yield Buffer.from(`Nguyễn Văn An,${String(100_000_000_000 + i)},01/01/1980,Nam,01/01/2000,,,\r\n`);
      }
    }
    const file = await openListFile(Readable.from(lines()));
    let read = 0;
    const error = await refusal(async () => {
      for await (const _row of file.rows) read += 1;
    });
    expect(error).to.be.instanceOf(PayloadTooLargeError);
    expect((error as PayloadTooLargeError).detail).to.contain('50.000');
    expect(read).to.equal(MAX_LIST_ROWS);
    // What the parser and the streams between hold ahead of the row in hand: a few hundred lines, not the file.
    expect(produced).to.be.below(MAX_LIST_ROWS + 1_000);
    await file.close();
  });

  it('when a CSV turns out not to be UTF-8 text part-way, or ends inside a character, then 415', async () => {
    const good = csvOf(rows);
    const cases = [
      Buffer.concat([good, Buffer.from([0xc3, 0x28]), Buffer.from('\r\n')]),
      Buffer.concat([good, Buffer.from('a,b\u0001c\r\n')]),
      Buffer.concat([good, Buffer.from([0xe1, 0xbb])]),
    ];
    for (const bytes of cases) {
      const error = await refusal(async () => readListRows(inPieces(bytes, 5)));
      expect(error, bytes.subarray(-6).toString('hex')).to.be.instanceOf(UnsupportedMediaTypeError);
    }
  });

  it('when the checked rows are taken a part at a time, then a CCCD met again is refused naming its first row, whichever part that was in', async () => {
    const list = Array.from({ length: 30 }, () => listRow());
    list[25] = listRow({ citizenId: list[3]![1] });
    const bytes = csvOf(list);
    const entries = new ListEntries(() => Readable.from([bytes]));
    const parts = [await entries.part(0, 10), await entries.part(10, 20), await entries.part(20, 30)];
    expect(parts.map((p) => p.length)).to.deep.equal([10, 10, 10]);
    const again = parts[2]![5]!;
    expect(again).to.have.property('reasons').that.deep.equals(['Số CCCD trùng với dòng 5 trong cùng tệp']);
    // A part asked again (a chunk run twice) starts the file over and finds the same.
    expect(await entries.part(20, 30)).to.deep.equal(parts[2]);
    expect(await new ListEntries(() => Readable.from([bytes])).all()).to.deep.equal(parts.flat());
    await entries.close();
  });
});
