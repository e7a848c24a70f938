import type { NextFunction, Request, Response } from 'express';
import mongoose from 'mongoose';
import multer from 'multer';
import { AppError } from '../errors.js';
import { isDuplicateKeyError } from '../db/mongo-errors.js';
import { logSafeError } from './log-safe-error.js';
import { problem, sendProblem, type Problem } from './problem.js';

interface HttpishError {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
}

/**
 * The only place that writes error responses. Known errors become problem+json with a Vietnamese detail;
 * anything else is a 500 whose cause goes to the log with the request id, never to the client.
 */
export function errorHandler(error: unknown, req: Request, res: Response, _next: NextFunction): void {
  const body = toProblem(error);
  body.requestId = String(req.id ?? '');
  if (body.status >= 500) {
    req.log?.error({ reqId: req.id, error: logSafeError(error) }, 'request failed');
  } else {
    req.log?.info({ reqId: req.id, code: body.code, status: body.status }, 'request refused');
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof AppError && error.extra.headers) res.set(error.extra.headers);
  sendProblem(res, body);
}

export function toProblem(error: unknown): Problem {
  if (error instanceof AppError) {
    const { headers: _headers, ...extra } = error.extra;
    return problem(error.status, error.code, error.detail, extra);
  }
  if (error instanceof mongoose.Error.CastError) {
    return problem(400, 'VALIDATION_FAILED', 'Dữ liệu gửi lên không hợp lệ.', {
      errors: [{ path: error.path, message: `${error.path} không đúng kiểu dữ liệu` }],
    });
  }
  if (error instanceof mongoose.Error.ValidationError) {
    return problem(400, 'VALIDATION_FAILED', 'Dữ liệu gửi lên không hợp lệ.', {
      errors: Object.values(error.errors).map((e) => ({ path: e.path, message: `${e.path} không hợp lệ` })),
    });
  }
  if (isDuplicateKeyError(error)) {
    return problem(409, 'CONFLICT', 'Dữ liệu đã tồn tại (trùng giá trị duy nhất).');
  }
  if (error instanceof multer.MulterError) {
    if (error.code === 'LIMIT_FILE_SIZE')
      return problem(413, 'PAYLOAD_TOO_LARGE', 'Tệp tải lên vượt quá dung lượng cho phép.');
    return problem(400, 'VALIDATION_FAILED', 'Tệp tải lên không hợp lệ.', {
      errors: [{ path: error.field ?? 'file', message: 'Tệp hoặc trường tải lên không hợp lệ' }],
    });
  }
  const http = (error ?? {}) as HttpishError;
  const status = http.status ?? http.statusCode;
  if (http.type === 'entity.too.large')
    return problem(413, 'PAYLOAD_TOO_LARGE', 'Dữ liệu gửi lên vượt quá giới hạn 1 MB.');
  if (http.type === 'entity.parse.failed')
    return problem(400, 'VALIDATION_FAILED', 'Nội dung JSON không hợp lệ.', {
      errors: [{ path: 'body', message: 'JSON sai cú pháp' }],
    });
  if (http.type === 'encoding.unsupported' || http.type === 'charset.unsupported') {
    return problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Bảng mã của nội dung không được hỗ trợ.');
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return problem(status, status === 413 ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION_FAILED', 'Yêu cầu không hợp lệ.');
  }
  return problem(
    500,
    'INTERNAL_ERROR',
    'Đã có lỗi hệ thống. Vui lòng thử lại sau hoặc báo quản trị viên kèm mã yêu cầu.',
  );
}
