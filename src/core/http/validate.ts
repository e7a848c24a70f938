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
  return (req: Request, res: Response, next: NextFunction) => {
    const errors: FieldError[] = [];
    if (schemas.params) {
      const r = schemas.params.validate(req.params, options);
      if (r.error) errors.push(...toFieldErrors(r.error, 'params'));
      else req.params = r.value as Request['params'];
    }
    const q = (schemas.query ?? Joi.object({})).validate(req.query, options);
    if (q.error) errors.push(...toFieldErrors(q.error, 'query'));
    else res.locals.query = q.value;
    if (schemas.body) {
      const r = schemas.body.validate(req.body ?? {}, options);
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
