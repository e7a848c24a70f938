import type { Response } from 'express';
import { ERROR_TITLES, type FieldError } from '../errors.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
  [key: string]: unknown;
}

/** RFC 9457 body. `type` is a stable URI per code so clients can document it. */
export function problem(status: number, code: string, detail: string, extra: Record<string, unknown> = {}): Problem {
  // Extras come first so that no extra field can overwrite the members RFC 9457 defines.
  return {
    ...extra,
    type: `urn:mai-am:problem:${code.toLowerCase().replace(/_/g, '-')}`,
    title: ERROR_TITLES[code] ?? 'Lỗi',
    status,
    detail,
    code,
  };
}

export function sendProblem(res: Response, body: Problem): void {
  res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
}
