import Joi from 'joi';
import { isPersonName, normalisePersonName, PERSON_NAME_RULE } from '../person-name.js';

// joi-to-swagger does not translate hex(): the pattern is written out for the document.
export const objectId = Joi.string()
  .hex()
  .length(24)
  .description('Mã định danh (24 ký tự hex)')
  .meta({ swagger: { pattern: '^[0-9a-fA-F]{24}$' } });

export const idParams = Joi.object({ id: objectId.required() });

/** ISO date `YYYY-MM-DD` kept as a string; conversion to a Date is the service's choice. */
export const isoDate = Joi.string()
  .pattern(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'YYYY-MM-DD')
  .custom((value: string, helpers) => {
    // Rejects days that do not exist, such as 2026-02-30.
    const date = new Date(`${value}T00:00:00Z`);
    return date.toISOString().slice(0, 10) === value ? value : helpers.error('date.base');
  })
  // `format: date` (RFC 3339 full-date) tells the document's readers that the day must exist.
  .meta({ swagger: { format: 'date' } });

/** A person's name (members, users): the one rule of core/person-name.ts, answered normalised to NFC. */
export const personName = Joi.string()
  .custom((value: string, helpers) => {
    const name = normalisePersonName(value);
    return isPersonName(name) ? name : helpers.message({ custom: `{{#label}} ${PERSON_NAME_RULE}` });
  })
  .description(`Họ và tên: ${PERSON_NAME_RULE}; chuẩn hóa Unicode NFC`);

/** Free text of a search box; an empty box means no search. */
export const searchText = Joi.string().trim().max(100).allow('');

/** Paging, sorting and filters of a list; the default order is the first sortable field, ascending, unless given. */
export function listQuery(
  sortable: readonly string[],
  filters: Record<string, Joi.Schema> = {},
  defaultSort = sortable[0]!,
) {
  const sortValues = sortable.flatMap((field) => [field, `-${field}`]);
  return Joi.object({
    page: Joi.number().integer().min(1).max(100000).default(1).description('Trang, bắt đầu từ 1'),
    limit: Joi.number().integer().min(1).max(100).default(20).description('Số dòng mỗi trang (tối đa 100)'),
    sort: Joi.string()
      .valid(...sortValues)
      .default(defaultSort)
      .description(`Sắp xếp theo trường; tiền tố "-" để giảm dần: ${sortable.join(', ')}`),
    ...filters,
  });
}

export interface ListQuery {
  page: number;
  limit: number;
  sort: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

export function pageSchema(item: Joi.Schema) {
  return Joi.object({
    items: Joi.array().items(item),
    total: Joi.number().integer(),
    page: Joi.number().integer(),
    limit: Joi.number().integer(),
  });
}

export const isoDateTime = Joi.string().isoDate().description('ISO 8601');
