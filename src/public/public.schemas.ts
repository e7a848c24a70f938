import Joi from 'joi';
import { PERIOD_KEY } from '../reports/index.js';

export const orgCode = Joi.string()
  .trim()
  .uppercase()
  .pattern(/^[A-Z0-9][A-Z0-9_.-]{0,31}$/, 'mã đơn vị')
  .description('Mã đơn vị (tỉnh, thành phố), ví dụ `HT`');

export const summaryParams = Joi.object({ code: orgCode.required() });

export const summaryQuery = Joi.object({
  period: Joi.string()
    .pattern(PERIOD_KEY, 'kỳ')
    .description('Kỳ: `2026`, `2026-H1`, `2026-Q3` hoặc `2026-08`; mặc định quý hiện tại (giờ Việt Nam)'),
});

const decisionNumber = Joi.string()
  .trim()
  .min(1)
  .max(40)
  // eslint-disable-next-line no-control-regex -- after the slash, any text but control characters (as the document says)
  .pattern(/^\d{1,7}( *\/[^\u0000-\u001f\u007f-\u009f]*)?$/, 'số quyết định')
  .description('Số quyết định như in trên giấy, ví dụ `15/QĐ-LĐLĐ` (hoặc chỉ `15`)');

const lookupFields = {
  issuer: orgCode.required().description('Mã đơn vị ban hành, ví dụ `HT`'),
  year: Joi.number().integer().min(2000).max(2100).description('Năm ban hành; cần khi số có ở nhiều năm'),
};

export const byNumberParams = Joi.object({ number: decisionNumber.required() });
export const byNumberQuery = Joi.object(lookupFields);
export const lookupQuery = Joi.object({ number: decisionNumber.required(), ...lookupFields });

const figures = {
  approved: Joi.object({ count: Joi.number().integer(), amount: Joi.number().integer() }).description(
    'Hồ sơ được phê duyệt trong kỳ (theo ngày quyết định) và số tiền',
  ),
  disbursed: Joi.object({ count: Joi.number().integer(), amount: Joi.number().integer() }).description(
    'Khoản chi trong kỳ, đã trừ khoản hoàn',
  ),
  beneficiariesPaid: Joi.number().integer().description('Số người đã nhận tiền trong kỳ'),
};

/** By number, the answer is the one of `GET /decisions/verify/{token}`. */
export { verifyResponse as publicVerification } from '../decisions/index.js';

export const publicSummaryResponse = Joi.object({
  org: Joi.object({ code: Joi.string(), name: Joi.string() }),
  period: Joi.object({ key: Joi.string().allow(null), from: Joi.string(), to: Joi.string(), timeZone: Joi.string() }),
  periodLabel: Joi.string().example('Quý IV năm 2026'),
  rows: Joi.array().items(
    Joi.object({
      key: Joi.object({ program: Joi.string().allow(null), campaign: Joi.string().allow(null) })
        .allow(null)
        .description('Khóa nhóm như `GET /reports/summary?groupBy=program,campaign`; null ở dòng "Khác"'),
      program: Joi.string(),
      campaign: Joi.string().allow(null),
      groups: Joi.number().integer().optional().description('Chỉ ở dòng "Khác": số nhóm được gộp'),
      ...figures,
    }),
  ),
  total: Joi.object(figures),
  decisions: Joi.array().items(
    Joi.object({
      number: Joi.string(),
      issuedAt: Joi.string(),
      programCode: Joi.string(),
      programName: Joi.string(),
      campaignId: Joi.string().allow(null),
      campaignName: Joi.string().allow(null),
      caseCount: Joi.number().integer(),
      totalAmount: Joi.number().integer(),
      status: Joi.string().valid('issued', 'revoked'),
    }),
  ),
  minGroupSize: Joi.number().integer().example(5),
});
