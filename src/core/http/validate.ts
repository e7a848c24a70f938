import Joi from 'joi';
import type { NextFunction, Request, Response } from 'express';
import { ValidationError, type FieldError } from '../errors.js';
import { vietnameseMessages } from './joi-messages.js';

export interface RequestSchemas {
  params?: Joi.ObjectSchema;
  query?: Joi.ObjectSchema;
  body?: Joi.Schema;
}

const options: Joi.ValidationOptions = {
  abortEarly: false,
  allowUnknown: false,
  stripUnknown: false,
  convert: true,
  messages: vietnameseMessages,
  errors: { wrap: { label: false } },
};

function toFieldErrors(error: Joi.ValidationError, where: string): FieldError[] {
  return error.details.map((d) => ({
    path: d.path.length ? d.path.join('.') : where,
    message: d.message,
  }));
}

/**
 * Validates params, query and body against one set of Joi schemas, reporting every problem at once.
 * Unknown fields are errors (SPEC §10). Validated values replace the raw ones (`req.query` is a getter
 * in Express 5, so the converted query is kept on `res.locals.query`).
 */
export function validate(schemas: RequestSchemas) {
  // The options are laid on each schema once, here: passed to every `validate` call, Joi would compile the
  // Vietnamese message templates again on each request (~0.35 ms a schema, three a request).
  const params = schemas.params?.prefs(options);
  const query = (schemas.query ?? Joi.object({})).prefs(options);
  const body = schemas.body?.prefs(options);
  return (req: Request, res: Response, next: NextFunction) => {
    const errors: FieldError[] = [];
    if (params) {
      const r = params.validate(req.params);
      if (r.error) errors.push(...toFieldErrors(r.error, 'params'));
      else req.params = r.value as Request['params'];
    }
    const q = query.validate(req.query);
    if (q.error) errors.push(...toFieldErrors(q.error, 'query'));
    else res.locals.query = q.value;
    if (body) {
      const r = body.validate(req.body ?? {});
      if (r.error) errors.push(...toFieldErrors(r.error, 'body'));
      else req.body = r.value;
    } else if (req.body !== undefined && !isEmptyBody(req.body)) {
      errors.push({ path: 'body', message: 'Thao tác này không nhận nội dung gửi kèm' });
    }
    if (errors.length) return next(new ValidationError(errors));
    next();
  };
}

function isEmptyBody(body: unknown): boolean {
  return typeof body === 'object' && body !== null && Object.keys(body).length === 0;
}

/** The validated and converted query string of the current request. */
export function validQuery<T>(res: Response): T {
  return res.locals.query as T;
}
