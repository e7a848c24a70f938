import type { NextFunction, Request, Response } from 'express';
import { ValidationError, type FieldError } from '../errors.js';

/**
 * C0 controls (NUL included), DEL, C1 controls, and the Unicode marks that reorder text on screen
 * (bidi embeddings, overrides and isolates, LRM/RLM/ALM): a NUL breaks the database driver, and an
 * override such as U+202E makes a name or file name display as something else than it is.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this rule's purpose
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/**
 * The same rule as a JSON Schema pattern for the OpenAPI document (`\\uXXXX` escapes, read alike by JavaScript and
 * Python regular expressions): a string made only of allowed characters; `multiLine` lets tab, CR and LF through.
 */
export function allowedTextPattern(multiLine: boolean): string {
  const controls = multiLine ? '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f' : '\\u0000-\\u001f';
  return `[${controls}\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]`;
}
/** Tab and line breaks, allowed only in the body's free-text fields below. */
const LINE_BREAKS = /[\t\n\r]/gu;

/**
 * Body fields that are written as paragraphs (the family's situation, notes, reasons): the forms let people
 * type several lines there, so tab, CR and LF stay allowed; every other field is one line.
 */
export const MULTI_LINE_FIELDS: ReadonlySet<string> = new Set(['situation', 'note', 'reason', 'amountReason']);
const MAX_DEPTH = 20;
const MAX_ERRORS = 20;

/** True when the text holds a character no field of the API accepts (used by name rules too). */
export function hasControlCharacter(text: string): boolean {
  return FORBIDDEN.test(text);
}

/**
 * Refuses control and bidi characters in every string of the query string, the path and the body (multipart
 * fields included) before the schemas run, so every route gets the same rule (400 VALIDATION_FAILED naming
 * the field). The message never repeats the value.
 */
export function rejectControlCharacters(req: Request, _res: Response, next: NextFunction) {
  const found: FieldError[] = [];
  scan(req.params, 'params', '', false, found, 0);
  scan(req.query, 'query', '', false, found, 0);
  scan(req.body, 'body', '', true, found, 0);
  if (found.length) return next(new ValidationError(found, 'Dữ liệu gửi lên chứa ký tự điều khiển không được phép.'));
  next();
}

/** `field` is the name of the nearest object key above the value (array items take their array's name). */
function scan(value: unknown, path: string, field: string, inBody: boolean, found: FieldError[], depth: number): void {
  if (found.length >= MAX_ERRORS || depth > MAX_DEPTH) return;
  if (typeof value === 'string') {
    const text = inBody && MULTI_LINE_FIELDS.has(field) ? value.replace(LINE_BREAKS, ' ') : value;
    if (FORBIDDEN.test(text)) found.push({ path, message: `${path} chứa ký tự điều khiển không được phép` });
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const isArray = Array.isArray(value);
  for (const [key, child] of Object.entries(value)) {
    const childPath = isArray ? `${path}[${key}]` : `${path}.${key}`;
    scan(child, childPath, isArray ? field : key, inBody, found, depth + 1);
  }
}
