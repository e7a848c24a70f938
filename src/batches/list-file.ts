import { StringDecoder } from 'node:string_decoder';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import { AppError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../core/errors.js';
import { formatVnd } from '../core/money.js';

/**
 * Reads an uploaded list (SPEC §5 Batches) into rows of text cells, each with its row number in the file.
 * The format is decided from the bytes, never from the name: a zip is an XLSX, anything else must be UTF-8
 * text. Nothing in the file is evaluated: a formula cell becomes the text of its formula (`=…`), which the
 * row rules then refuse, so what the union sees in Excel is never silently replaced by a computed value.
 */
export const MAX_LIST_ROWS = 50_000;

/**
 * An XLSX is a zip: a few hundred kilobytes can inflate to gigabytes (a zip bomb). A 50,000-row list of the
 * template inflates to about 17 MB in a dozen entries, so these limits leave ample room for a real list and none
 * for a bomb; its rows are then read with exceljs' streaming reader, never as a whole workbook.
 */
export const MAX_XLSX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024;
export const MAX_XLSX_ENTRIES = 500;

export interface ListRow {
  /** The row number a spreadsheet shows (the header is row 1 in a list that starts at the top). */
  row: number;
  cells: string[];
  /** Cells that came from a numeric XLSX cell (Excel drops the leading zero of a CCCD typed as a number). */
  numeric: boolean[];
}

/**
 * A list being read: its format and header row, then its data rows one by one (`rows`, to be iterated once).
 * Nothing but the row in hand is kept, so a list of any length is read in bounded memory; the rows stop with
 * 413 as soon as there are more than MAX_LIST_ROWS.
 */
export interface ListFile {
  format: 'csv' | 'xlsx';
  header: ListRow;
  rows: AsyncIterable<ListRow>;
  /** Stops the reading (and releases the file) when the rows are not read to their end. */
  close(): Promise<void>;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * Opens an uploaded list from its bytes as they come (a temp file, a GridFS download). The format is taken from
 * the first bytes; a CSV is then decoded and parsed as it streams, an XLSX (a zip, read from its end) is
 * gathered first, at most the upload limit (MAX_UPLOAD_MB) of compressed bytes, and its rows streamed.
 */
export async function openListFile(source: Readable): Promise<ListFile> {
  const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < ZIP_MAGIC.length) {
    const next = await chunks.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    headBytes += next.value.length;
  }
  async function* bytes(): AsyncGenerator<Buffer> {
    yield* head;
    if (ended) return;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
  }
  const isZip = Buffer.concat(head).subarray(0, 4).equals(ZIP_MAGIC);
  const all = isZip ? xlsxRows(await gathered(bytes())) : csvRows(bytes());
  const close = async () => {
    await all.return(undefined);
    source.destroy();
  };
  try {
    const first = await all.next();
    if (first.done) throw emptyFile();
    return { format: isZip ? 'xlsx' : 'csv', header: first.value, rows: counted(all), close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The data rows, refused with 413 at the first row over MAX_LIST_ROWS (what was read so far is not kept). */
async function* counted(rows: AsyncGenerator<ListRow>): AsyncGenerator<ListRow> {
  let count = 0;
  for await (const row of rows) {
    count += 1;
    if (count > MAX_LIST_ROWS) throw tooManyRows(`hơn ${formatVnd(MAX_LIST_ROWS)}`);
    yield row;
  }
}

async function gathered(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

/** Every row of a list read whole (small lists: the template, tests, the bench's floor). */
export async function readListRows(
  source: Readable,
): Promise<{ format: ListFile['format']; header: ListRow; rows: ListRow[] }> {
  const file = await openListFile(source);
  const rows: ListRow[] = [];
  for await (const row of file.rows) rows.push(row);
  return { format: file.format, header: file.header, rows };
}

function tooManyRows(count: string): AppError {
  return new PayloadTooLargeError(
    `Danh sách có ${count} dòng; mỗi lần chỉ nhận tối đa ${formatVnd(MAX_LIST_ROWS)} dòng. Hãy chia thành nhiều tệp.`,
  );
}

function notAList(): AppError {
  return new UnsupportedMediaTypeError(
    'Chỉ nhận danh sách dạng CSV (UTF-8) hoặc Excel (.xlsx); nội dung tệp không thuộc các định dạng này.',
  );
}

// ---------------------------------------------------------------- CSV

// Control characters other than tab and line ends mean binary content that happens to be valid UTF-8.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/**
 * The file's text as it is decoded: UTF-8 only (an invalid sequence, also one cut at the end, is not a list),
 * without its byte order mark (TextDecoder drops it), refused at the first control character.
 */
async function* csvText(bytes: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const checked = (decode: () => string) => {
    let text: string;
    try {
      text = decode();
    } catch {
      throw notAList();
    }
    if (CONTROL.test(text)) throw notAList();
    return text;
  };
  for await (const chunk of bytes) yield checked(() => decoder.decode(chunk, { stream: true }));
  yield checked(() => decoder.decode());
}

/**
 * Excel in Vietnamese locale saves "CSV" with semicolons; the header line tells which one this file uses. The
 * text is held back until the first line end (or the end of the file) to decide it.
 */
async function* csvRows(bytes: AsyncIterable<Buffer>): AsyncGenerator<ListRow> {
  const text = csvText(bytes);
  let firstPart = '';
  let rest = await text.next();
  while (!rest.done && !/\r?\n/.test(firstPart)) {
    firstPart += rest.value;
    rest = await text.next();
  }
  const firstLine = firstPart.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  async function* all(): AsyncGenerator<string> {
    yield firstPart;
    for (let next = rest; !next.done; next = await text.next()) yield next.value;
  }
  const parser = parseCsv({ delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, info: true });
  // The pipeline's own promise is only a way to hear of a failure, which the parser's iteration reports too.
  pipeline(Readable.from(all()), parser).catch(() => undefined);
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (record.some((cell) => cell !== ''))
        yield { row: info.lines, cells: record, numeric: record.map(() => false) };
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = typeof error.lines === 'number' ? error.lines : undefined;
    throw new ValidationError(
      [
        {
          path: 'file',
          message: `Tệp CSV không đúng định dạng${line ? ` (quanh dòng ${line})` : ''}: kiểm tra dấu ngoặc kép và dấu phân cách`,
        },
      ],
      'Không đọc được tệp CSV.',
    );
  } finally {
    parser.destroy();
  }
}

function emptyFile(): AppError {
  return new ValidationError([{ path: 'file', message: 'Tệp không có dòng tiêu đề' }], 'Tệp danh sách trống.');
}

// ---------------------------------------------------------------- XLSX

/** A checked zip, open for reading its entries by name in any order. */
interface CheckedZip {
  /** The entry's inflating stream, or undefined when the zip has no such entry. */
  open(name: string): Promise<Readable | undefined>;
  /** The entries' names in the zip's order. */
  names: string[];
  close(): void;
}

/**
 * Checks the zip before anything inflates it whole (entry count, declared sizes, the real inflated sizes) and
 * keeps it open: yauzl reads a buffer at random, so the list's parts are read in the order they are needed
 * whatever order the writer put them in.
 */
async function checkZip(bytes: Buffer): Promise<CheckedZip> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    // validateEntrySizes: an entry inflating to more than its header declares is an error, so lying headers fail too.
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true, autoClose: false }, (error, opened) =>
      error ? reject(error) : resolve(opened),
    );
  }).catch(() => {
    throw notAList();
  });
  const tooLarge = () =>
    new PayloadTooLargeError(
      'Tệp Excel giải nén ra quá lớn hoặc có quá nhiều thành phần; không phải một danh sách thông thường.',
    );
  if (zip.entryCount > MAX_XLSX_ENTRIES) {
    zip.close();
    throw tooLarge();
  }
  const entries = new Map<string, yauzl.Entry>();
  let inflated = 0;
  await new Promise<void>((resolve, reject) => {
    const fail = (error: unknown) => {
      zip.close();
      reject(error);
    };
    zip.on('error', () => fail(notAList()));
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.set(entry.fileName, entry);
      if (inflated + entry.uncompressedSize > MAX_XLSX_UNCOMPRESSED_BYTES) return fail(tooLarge());
      zip.openReadStream(entry, (error, stream) => {
        if (error) return fail(notAList());
        stream.on('data', (chunk: Buffer) => {
          inflated += chunk.length;
          if (inflated > MAX_XLSX_UNCOMPRESSED_BYTES) {
            stream.destroy();
            fail(tooLarge());
          }
        });
        stream.on('error', () => fail(notAList()));
        stream.on('end', () => zip.readEntry());
      });
    });
    zip.readEntry();
  });
  return {
    names: [...entries.keys()],
    open: (name) => {
      const entry = entries.get(name);
      if (!entry) return Promise.resolve(undefined);
      return new Promise((resolve, reject) =>
        zip.openReadStream(entry, (error, stream) => (error ? reject(notAList()) : resolve(stream))),
      );
    },
    close: () => zip.close(),
  };
}

/** The text a person sees in the cell; formulas as their own text, never their cached or computed result. */
function cellText(value: ExcelJS.CellValue): { text: string; numeric: boolean } {
  if (value === null || value === undefined) return { text: '', numeric: false };
  if (typeof value === 'number') return { text: String(value), numeric: true };
  if (typeof value === 'string') return { text: value.trim(), numeric: false };
  if (typeof value === 'boolean') return { text: String(value), numeric: false };
  if (value instanceof Date) return { text: value.toISOString().slice(0, 10), numeric: false };
  if ('formula' in value || 'sharedFormula' in value) {
    const formula = 'formula' in value ? value.formula : value.sharedFormula;
    return { text: `=${String(formula ?? '')}`, numeric: false };
  }
  if ('richText' in value)
    return {
      text: value.richText
        .map((part) => part.text)
        .join('')
        .trim(),
      numeric: false,
    };
  if ('text' in value) return { text: String(value.text).trim(), numeric: false };
  if ('error' in value) return { text: String(value.error), numeric: false };
  return { text: '', numeric: false };
}

/** What exceljs' streaming reader does with the zip's entries, and what it keeps of them (not in its types). */
interface ReaderInternals {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(chunks: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
  workbookRels?: { Id: string; Target: string }[];
  model?: { sheets?: { rId: string; state?: string }[] };
}

/** Text of a stream of UTF-8 chunks, a character cut by a chunk boundary decoded whole. */
async function* utf8Text(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

const streamingReader = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as ReaderInternals;

/**
 * exceljs 4.4.0's streaming reader (`WorkbookReader`), handed the list's parts one by one instead of reading the
 * zip with its own `parse`, which fails two ways:
 * - It decodes every inflated chunk of a sheet's XML on its own (`utils/parse-sax.js`: `TextDecoder.decode(chunk)`),
 *   so a character whose UTF-8 bytes a chunk boundary cuts becomes U+FFFD: in a 20,000-row list of Vietnamese
 *   names, 25 rows came out as "Nguyễn Th��� Thanh Nhung" and were refused. This reader hands exceljs the shared
 *   strings and the sheet as text decoded across chunk boundaries; exceljs passes text on as it is.
 * - It reads the entries in the zip's order through unzipper, and a sheet that comes before its shared strings (as in
 *   every file exceljs writes, whose workbook part also comes last) is set aside in a temporary file and read after
 *   the last entry. In about one read in 150 to 300 of such a file, its loop over the entries ended right after the
 *   sheet: the strings, styles and workbook were never read and it threw a TypeError (the demo seed's list was once
 *   refused as "not a list" so). This reader takes the workbook's relations, the workbook, the styles and the shared
 *   strings by name from the checked zip (yauzl reads the buffer at random), then the first sheet.
 */
class ListWorkbookReader extends ExcelJS.stream.xlsx.WorkbookReader {
  /** The first sheet's reader (its rows one by one), or undefined when the workbook has no sheet. */
  async firstSheet(zip: CheckedZip): Promise<AsyncIterable<ExcelJS.Row> | undefined> {
    const parts = [
      ['xl/_rels/workbook.xml.rels', streamingReader._parseRels],
      ['xl/workbook.xml', streamingReader._parseWorkbook],
      ['xl/styles.xml', streamingReader._parseStyles],
    ] as const;
    for (const [name, parse] of parts) {
      const entry = await zip.open(name);
      if (entry) await parse.call(this, entry);
    }
    const strings = await zip.open('xl/sharedStrings.xml');
    if (strings) {
      strings.setEncoding('utf8');
      // With sharedStrings: 'cache' the strings are kept on the reader and nothing is emitted.
      for await (const event of streamingReader._parseSharedStrings.call(this, strings)) void event;
    }
    const path = firstSheetPath(this as unknown as ReaderInternals, zip.names);
    const sheet = path ? await zip.open(path) : undefined;
    if (!path || !sheet) return undefined;
    const sheetNo = /sheet(\d+)\.xml$/.exec(path)?.[1] ?? '1';
    for (const event of streamingReader._parseWorksheet.call(this, utf8Text(sheet), sheetNo)) {
      const { eventType, value } = event as { eventType: string; value: AsyncIterable<ExcelJS.Row> };
      if (eventType === 'worksheet') return value;
    }
    return undefined;
  }
}

/**
 * The part of the workbook's first tab the union sees (a hidden tab is passed over, unless every tab is hidden);
 * failing that (no workbook part), the zip's first sheet.
 */
function firstSheetPath(reader: ReaderInternals, names: readonly string[]): string | undefined {
  const tabs = reader.model?.sheets ?? [];
  const first = tabs.find((tab) => !tab.state || tab.state === 'visible') ?? tabs[0];
  const rel = first && reader.workbookRels?.find((candidate) => candidate.Id === first.rId);
  if (rel) {
    const path = rel.Target.startsWith('/') ? rel.Target.slice(1) : `xl/${rel.Target}`;
    if (names.includes(path)) return path;
  }
  return names.find((name) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name));
}

/**
 * The first worksheet, read with exceljs' streaming reader: rows are taken one by one from the inflating XML,
 * without building the workbook's model (for a 50,000-row list that model alone is a few hundred megabytes); the
 * reading stops with 413 as soon as the list has more than MAX_LIST_ROWS rows.
 */
async function* xlsxRows(bytes: Buffer): AsyncGenerator<ListRow> {
  const zip = await checkZip(bytes);
  const reader = new ListWorkbookReader(Readable.from([]), {
    sharedStrings: 'cache',
    // Styles tell which numeric cells are dates.
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  try {
    const sheet = await reader.firstSheet(zip);
    // A zip with no worksheet is some other document (or an archive), not a list.
    if (!sheet) throw notAList();
    for await (const row of sheet) {
      const cells: string[] = [];
      const numeric: boolean[] = [];
      for (let col = 1; col <= row.cellCount; col += 1) {
        const { text, numeric: isNumber } = cellText(row.getCell(col).value);
        cells.push(text);
        numeric.push(isNumber);
      }
      if (cells.some((cell) => cell !== '')) yield { row: row.number, cells, numeric };
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw notAList();
  } finally {
    zip.close();
  }
}
