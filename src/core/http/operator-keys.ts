import type { NextFunction, Request, Response } from 'express';
import { ValidationError, type FieldError } from '../errors.js';

const MAX_DEPTH = 20;
/** Joi drops an own `__proto__` key without a word, so it would be ignored instead of refused (SPEC §10). */
const FORBIDDEN_NAMES = new Set(['__proto__']);

/**
 * Refuses any key containing `$` or a dot, or named `__proto__`, at any depth of the body or the query string,
 * before schemas run: a second wall against operator injection into MongoDB queries, also for routes
 * whose schemas accept free-form objects.
 */
export function rejectOperatorKeys(req: Request, _res: Response, next: NextFunction) {
  const found: FieldError[] = [];
  scan(req.query, 'query', found, 0);
  scan(req.body, 'body', found, 0);
  if (found.length)
    return next(
      new ValidationError(found, 'Tên trường không được chứa ký tự "$" hoặc dấu chấm, và không được là "__proto__".'),
    );
  next();
}

function scan(value: unknown, path: string, found: FieldError[], depth: number): void {
  if (value === null || typeof value !== 'object' || found.length >= 20) return;
  if (depth > MAX_DEPTH) {
    found.push({ path, message: 'Dữ liệu lồng nhau quá sâu' });
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    const childPath = Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`;
    if (key.includes('$') || key.includes('.') || FORBIDDEN_NAMES.has(key)) {
      found.push({ path: childPath, message: `Tên trường "${key}" không được phép` });
    }
    scan(child, childPath, found, depth + 1);
  }
}
