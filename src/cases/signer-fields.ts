import Joi from 'joi';
import { vnDay } from '../core/shared/dates.js';
import { isoDate } from '../core/http/common-schemas.js';

/**
 * The approver's choices about the paper, accepted by `approve` and by `POST /cases/:id/decision`. Each is
 * optional; the defaults are written here once, so the OpenAPI document states them where they apply.
 * They belong to the approval (the workflow table's `approve` body); the decisions feature prints them.
 */
export const signerFields = {
  signerName: Joi.string()
    .trim()
    .min(2)
    .max(100)
    .description('Người ký quyết định; mặc định: họ tên của người phê duyệt'),
  signerTitle: Joi.string()
    .trim()
    .min(2)
    .max(100)
    .description(
      'Chức vụ in ở phần ký, ví dụ "CHỦ TỊCH", "PHÓ CHỦ TỊCH" (in hoa khi in); mặc định: chức danh của người phê duyệt viết hoa, hoặc "CHỦ TỊCH" khi tài khoản chưa có chức danh',
    ),
  decisionDate: isoDate
    .custom((value: string, helpers) => (value <= vnDay() ? value : helpers.error('any.invalid')))
    .messages({ 'any.invalid': 'Ngày quyết định không được sau hôm nay (giờ Việt Nam)' })
    .description(
      'Ngày ký quyết định (YYYY-MM-DD, không sau hôm nay); mặc định: hôm nay theo giờ Việt Nam. Số quyết định theo năm của ngày này',
    ),
};
