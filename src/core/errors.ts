/**
 * Domain errors. Each carries an HTTP status, a stable UPPER_SNAKE code (SPEC §10) and a Vietnamese
 * detail for people. The one error middleware turns them into problem+json; nothing else writes errors.
 */
export interface FieldError {
  path: string;
  message: string;
}

export const ERROR_TITLES: Record<string, string> = {
  VALIDATION_FAILED: 'Dữ liệu không hợp lệ',
  UNAUTHENTICATED: 'Chưa đăng nhập',
  FORBIDDEN: 'Không có quyền',
  NOT_FOUND: 'Không tìm thấy',
  CONFLICT: 'Xung đột dữ liệu',
  INVALID_TRANSITION: 'Thao tác không hợp lệ với trạng thái hiện tại',
  STALE_REVISION: 'Dữ liệu đã bị thay đổi',
  DUPLICATE_BENEFICIARY: 'Trùng đối tượng hưởng',
  INSUFFICIENT_FUNDS: 'Nguồn kinh phí không đủ',
  AMOUNT_EXCEEDS_CAP: 'Số tiền vượt mức tối đa',
  NOT_ELIGIBLE: 'Không đủ điều kiện',
  MISSING_DOCUMENTS: 'Thiếu hồ sơ, giấy tờ',
  SEPARATION_OF_DUTIES: 'Vi phạm nguyên tắc bốn mắt',
  IDEMPOTENCY_CONFLICT: 'Khóa Idempotency-Key đã dùng cho yêu cầu khác',
  TRANCHE_ALREADY_PAID: 'Đợt chi đã được chi đủ',
  TRANCHE_OUT_OF_ORDER: 'Đợt chi trước chưa được chi đủ',
  PAYLOAD_TOO_LARGE: 'Dữ liệu gửi lên quá lớn',
  UNSUPPORTED_MEDIA_TYPE: 'Định dạng không được hỗ trợ',
  METHOD_NOT_ALLOWED: 'Phương thức không được hỗ trợ',
  RATE_LIMITED: 'Quá nhiều yêu cầu',
  ACCOUNT_LOCKED: 'Tài khoản tạm khóa',
  INTERNAL_ERROR: 'Lỗi hệ thống',
  SERVICE_UNAVAILABLE: 'Dịch vụ tạm thời không sẵn sàng',
};

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string>; [key: string]: unknown } = {},
  ) {
    super(`${code}: ${detail}`);
  }
}

export class ValidationError extends AppError {
  constructor(errors: FieldError[], detail = 'Dữ liệu gửi lên không hợp lệ.') {
    super(400, 'VALIDATION_FAILED', detail, { errors });
  }
}

export class UnauthenticatedError extends AppError {
  constructor(detail = 'Cần đăng nhập để thực hiện thao tác này.') {
    super(401, 'UNAUTHENTICATED', detail, { headers: { 'WWW-Authenticate': 'Bearer' } });
  }
}

export class ForbiddenError extends AppError {
  constructor(detail = 'Bạn không có quyền thực hiện thao tác này.') {
    super(403, 'FORBIDDEN', detail);
  }
}

export class NotFoundError extends AppError {
  constructor(what = 'đối tượng') {
    super(404, 'NOT_FOUND', `Không tìm thấy ${what}.`);
  }
}

/** 409 with a specific code: INVALID_TRANSITION, STALE_REVISION, DUPLICATE_BENEFICIARY, … */
export class ConflictError extends AppError {
  constructor(code: string, detail: string, extra: Record<string, unknown> = {}) {
    super(409, code, detail, extra);
  }
}

export class RateLimitedError extends AppError {
  constructor(detail: string, retryAfterSeconds: number) {
    super(429, 'RATE_LIMITED', detail, {
      headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
    });
  }
}

/** 405: the path exists but not with this method; `Allow` names the methods it has (RFC 9110 §15.5.6). */
export class MethodNotAllowedError extends AppError {
  constructor(allowed: readonly string[]) {
    super(405, 'METHOD_NOT_ALLOWED', `Đường dẫn này chỉ nhận các phương thức: ${allowed.join(', ')}.`, {
      headers: { Allow: allowed.join(', ') },
    });
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(detail = 'Dữ liệu gửi lên vượt quá giới hạn cho phép.') {
    super(413, 'PAYLOAD_TOO_LARGE', detail);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(detail = 'Định dạng dữ liệu không được hỗ trợ.') {
    super(415, 'UNSUPPORTED_MEDIA_TYPE', detail);
  }
}
