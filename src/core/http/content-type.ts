import type { NextFunction, Request, Response } from 'express';
import { UnsupportedMediaTypeError } from '../errors.js';

/** A request that carries a body must say it is JSON (or multipart, for uploads); anything else is 415. */
export function requireJsonOrMultipart(req: Request, _res: Response, next: NextFunction) {
  const hasBody =
    req.get('content-length') !== undefined
      ? Number(req.get('content-length')) > 0
      : req.get('transfer-encoding') !== undefined;
  if (!hasBody || req.is(['application/json', 'application/*+json', 'multipart/form-data'])) return next();
  next(
    new UnsupportedMediaTypeError(
      'Nội dung gửi lên phải là JSON (application/json) hoặc multipart/form-data khi tải tệp.',
    ),
  );
}
