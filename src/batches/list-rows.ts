import { vnDay } from '../core/shared/dates.js';
import { ValidationError } from '../core/errors.js';
import { isPersonName, normalisePersonName, PERSON_NAME_RULE } from '../core/person-name.js';
import { searchKey } from '../core/search-text.js';
import { mask } from '../members/index.js';
import type { ListRow } from './list-file.js';

/**
 * The columns of an imported list (SPEC §5) and the rules for one row, as a union officer fills it in Excel:
 * Vietnamese or English headers in any order, dates as dd/mm/yyyy or ISO, amounts with or without grouping
 * dots, gender as Nam/Nữ or male/female. Every problem of a row is reported with the row number of the file.
 */
export const LIST_FIELDS = [
  'fullName',
  'citizenId',
  'dateOfBirth',
  'gender',
  'joinedUnionAt',
  'phone',
  'amount',
  'situation',
] as const;
export type ListField = (typeof LIST_FIELDS)[number];

/** The header of the downloadable template, in this order (SPEC §5). */
export const FIELD_HEADERS: Readonly<Record<ListField, string>> = {
  fullName: 'Họ và tên',
  citizenId: 'Số CCCD',
  dateOfBirth: 'Ngày sinh',
  gender: 'Giới tính',
  joinedUnionAt: 'Ngày vào công đoàn',
  phone: 'Số điện thoại',
  amount: 'Số tiền',
  situation: 'Hoàn cảnh',
};

/** Phone, amount (blank: the program's cap) and situation may be left empty; a member needs the rest. */
const REQUIRED_COLUMNS: readonly ListField[] = ['fullName', 'citizenId', 'dateOfBirth', 'gender', 'joinedUnionAt'];

/** A header matched without case, diacritics, spaces or punctuation: "Số CCCD", "so cccd", "citizenId" alike. */
const headerKey = (text: string) => searchKey(text).replace(/[^a-z0-9]/g, '');
const HEADER_ALIASES = new Map<string, ListField>(
  LIST_FIELDS.flatMap(
    (field) =>
      [
        [headerKey(FIELD_HEADERS[field]), field],
        [headerKey(field), field],
      ] as [string, ListField][],
  ).concat([
    [headerKey('CCCD'), 'citizenId'],
    [headerKey('Số tiền hỗ trợ'), 'amount'],
  ]),
);
/** A numbering column ("STT") is what every Vietnamese list starts with; it is read past. */
const IGNORED_HEADERS = new Set(['stt', 'no']);

export type ListColumns = Map<ListField, number>;

export function columnsOf(header: ListRow): ListColumns {
  const columns: ListColumns = new Map();
  const problems: string[] = [];
  header.cells.forEach((text, index) => {
    const key = headerKey(text);
    if (!key || IGNORED_HEADERS.has(key)) return;
    const field = HEADER_ALIASES.get(key);
    if (!field) problems.push(`Cột "${text.slice(0, 50)}" không có trong mẫu`);
    else if (columns.has(field)) problems.push(`Cột "${FIELD_HEADERS[field]}" bị lặp`);
    else columns.set(field, index);
  });
  for (const field of REQUIRED_COLUMNS) if (!columns.has(field)) problems.push(`Thiếu cột "${FIELD_HEADERS[field]}"`);
  if (problems.length) {
    throw new ValidationError(
      problems.map((message) => ({ path: 'file', message })),
      `Dòng tiêu đề (dòng ${header.row}) không khớp với mẫu danh sách: ${LIST_FIELDS.map((f) => FIELD_HEADERS[f]).join(', ')}.`,
    );
  }
  return columns;
}

export interface ListEntry {
  row: number;
  fullName: string;
  citizenId: string;
  dateOfBirth: string;
  gender: 'male' | 'female';
  joinedUnionAt: string;
  phone: string;
  /** null: left empty, the program's cap applies. */
  amount: number | null;
  situation: string;
}

export interface RejectedRow {
  row: number;
  citizenId: string;
  fullName: string;
  reasons: string[];
}

/**
 * Rejected rows as they are kept and answered: the CCCD masked like in every other list (SPEC §3), since the row
 * and the name are enough for the officer to find the line in the file. Masking twice changes nothing, so rows
 * kept before they were masked are answered masked too.
 */
export function maskedRows(rows: readonly RejectedRow[]): RejectedRow[] {
  return rows.map((row) => ({ ...row, citizenId: mask(row.citizenId) ?? '' }));
}

function isoDay(text: string): string | null {
  const vn = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const [y, m, d] = vn ? [vn[3], vn[2], vn[1]] : iso ? [iso[1], iso[2], iso[3]] : [];
  if (!y || !m || !d) return null;
  const day = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day ? day : null;
}

/** "1.000.000", "1,000,000", "1 000 000", "1000000", with or without "đ"/"đồng"/"VND"; whole đồng only. */
function amountOf(text: string): number | null {
  const bare = text.replace(/\s*(đồng|đ|vnd|vnđ)$/i, '').trim();
  if (!/^\d{1,3}([.,\s]\d{3})+$|^\d+$/.test(bare)) return null;
  const value = Number(bare.replace(/[.,\s]/g, ''));
  return Number.isSafeInteger(value) && value >= 1 ? value : null;
}

const GENDERS: Readonly<Record<string, 'male' | 'female'>> = {
  nam: 'male',
  male: 'male',
  m: 'male',
  nu: 'female',
  female: 'female',
  f: 'female',
};

/** One row checked on its own; the rules that need the database (members, duplicates, cap) come later. */
export function entryOf(row: ListRow, columns: ListColumns): ListEntry | RejectedRow {
  const cell = (field: ListField) => {
    const index = columns.get(field);
    return index === undefined ? '' : (row.cells[index] ?? '').trim();
  };
  const numeric = (field: ListField) => row.numeric[columns.get(field) ?? -1] === true;
  const reasons: string[] = [];
  for (const field of LIST_FIELDS) {
    // Formulas are text here; taking one would put a computed (or crafted) value where the union saw another.
    if (cell(field).startsWith('=')) reasons.push(`Ô "${FIELD_HEADERS[field]}" chứa công thức; hãy nhập giá trị`);
  }
  const fullName = normalisePersonName(cell('fullName'));
  if (!fullName.startsWith('=') && !isPersonName(fullName)) reasons.push(`Họ và tên ${PERSON_NAME_RULE}`);

  let citizenId = cell('citizenId').replace(/[\s.]/g, '');
  // Excel keeps a CCCD typed as a number without its leading zeros; only such a cell is padded back.
  if (numeric('citizenId') && /^\d{9,11}$/.test(citizenId)) citizenId = citizenId.padStart(12, '0');
  if (!/^\d{12}$/.test(citizenId))
    reasons.push('Số CCCD phải có đúng 12 chữ số (nếu Excel đã bỏ số 0 ở đầu, hãy định dạng cột là văn bản)');

  const today = vnDay();
  const dateOfBirth = isoDay(cell('dateOfBirth'));
  if (!dateOfBirth) reasons.push('Ngày sinh không hợp lệ (dd/mm/yyyy hoặc yyyy-mm-dd)');
  else if (dateOfBirth > today) reasons.push('Ngày sinh không được ở tương lai');
  const joinedUnionAt = isoDay(cell('joinedUnionAt'));
  if (!joinedUnionAt) reasons.push('Ngày vào công đoàn không hợp lệ (dd/mm/yyyy hoặc yyyy-mm-dd)');
  else if (joinedUnionAt > today) reasons.push('Ngày vào công đoàn không được ở tương lai');
  else if (dateOfBirth && joinedUnionAt < dateOfBirth) reasons.push('Ngày vào công đoàn phải sau ngày sinh');

  const gender = GENDERS[headerKey(cell('gender'))];
  if (!gender) reasons.push('Giới tính phải là Nam hoặc Nữ');

  let phone = cell('phone').replace(/[\s.-]/g, '');
  if (numeric('phone') && /^\d{9,10}$/.test(phone) && !phone.startsWith('0')) phone = `0${phone}`;
  if (phone && !/^(\+84|0)\d{9,10}$/.test(phone)) reasons.push('Số điện thoại không hợp lệ');

  const amountText = cell('amount');
  const amount = amountText ? amountOf(amountText) : null;
  if (amountText && amount === null && !amountText.startsWith('='))
    reasons.push('Số tiền phải là số nguyên dương (đồng), ví dụ 1.000.000');

  const situation = cell('situation');
  if (situation.length > 5000) reasons.push('Hoàn cảnh dài quá 5.000 ký tự');

  if (reasons.length)
    return { row: row.row, citizenId: cell('citizenId').slice(0, 20), fullName: fullName.slice(0, 100), reasons };
  return {
    row: row.row,
    fullName,
    citizenId,
    dateOfBirth: dateOfBirth!,
    gender: gender!,
    joinedUnionAt: joinedUnionAt!,
    phone,
    amount,
    situation,
  };
}

export function isRejected(entry: ListEntry | RejectedRow): entry is RejectedRow {
  return 'reasons' in entry;
}
