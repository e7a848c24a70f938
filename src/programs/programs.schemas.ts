import Joi from 'joi';
import { objectId } from '../core/http/common-schemas.js';

const key = Joi.string().pattern(/^[a-z][a-z0-9_]{0,39}$/, 'mã (chữ thường, số, _)');
// Optional wherever it appears (a tranche, a stage, the other types): an answer leaves out a list never given.
const documentTypes = Joi.array().items(key).max(20).unique().optional();
const amount = Joi.number().integer().min(0).max(100_000_000_000);

export const STAGES = ['submit', 'verify', 'close'] as const;

const tranches = Joi.array()
  .items(
    Joi.object({
      label: Joi.string().trim().min(1).max(100).required(),
      percent: Joi.number().integer().min(1).max(100).required(),
      requiresDocuments: documentTypes,
    }),
  )
  .min(1)
  .max(10)
  .custom((value: { percent: number }[], helpers) =>
    value.reduce((sum, t) => sum + t.percent, 0) === 100
      ? value
      : helpers.message({ custom: 'Tổng tỷ lệ các đợt chi phải bằng 100%' }),
  )
  .description('Các đợt chi theo thứ tự; tổng `percent` của các đợt phải bằng 100 (400 nếu không)');

const maxAmountPerMember = Joi.object({
  amount: amount.min(1).required().description('Tổng số tiền tối đa một đoàn viên được nhận, VND'),
  years: Joi.number().integer().min(1).max(30).required().description('Trong bao nhiêu năm gần nhất (tính theo ngày)'),
})
  .allow(null)
  .description(
    'Mức tối đa cho mỗi đoàn viên từ chương trình trong một số năm (tổng số tiền phê duyệt còn hiệu lực); null: không giới hạn. ' +
      'Kiểm tra khi gửi và khi phê duyệt hồ sơ, kể cả theo danh sách và khi nhập danh sách (422 `AMOUNT_EXCEEDS_CAP`).',
  );

const requiredDocuments = Joi.object(Object.fromEntries(STAGES.map((stage) => [stage, documentTypes])));

/** The rules of SPEC §4. */
export const rulesSchema = Joi.object({
  maxAmount: Joi.object()
    .pattern(key, amount.required())
    .min(1)
    .max(20)
    .required()
    .description('Mức tối đa theo loại (subtype), VND'),
  minMembershipMonths: Joi.number().integer().min(0).max(600).required(),
  frequency: Joi.string().valid('once_per_member', 'once_per_campaign').required(),
  requiredDocuments: requiredDocuments.required().description('Giấy tờ bắt buộc theo bước: submit, verify, close'),
  requiresVerification: Joi.boolean().required(),
  requiresCampaign: Joi.boolean().required().description('Hồ sơ phải thuộc một đợt (campaign) của tỉnh'),
  tranches: tranches.required(),
  documentTypes: documentTypes.description('Các loại giấy tờ không bắt buộc khác được chấp nhận'),
  maxAmountPerMember: maxAmountPerMember.optional(),
});

/** What a province may change; frequency and the need for a campaign stay national. */
export const overrideRulesSchema = Joi.object({
  maxAmount: Joi.object().pattern(key, amount.required()).min(1).max(20).optional(),
  minMembershipMonths: Joi.number().integer().min(0).max(600).optional(),
  requiredDocuments: requiredDocuments.optional(),
  requiresVerification: Joi.boolean().optional(),
  tranches: tranches.optional(),
  maxAmountPerMember: maxAmountPerMember.optional(),
}).min(1);

export const programCodeParams = Joi.object({ code: key.required() });

export const createProgramBody = Joi.object({
  code: key.required(),
  name: Joi.string().trim().min(2).max(200).required(),
  codePrefix: Joi.string()
    .pattern(/^[A-Z]{2,5}$/, 'tiền tố mã hồ sơ (2–5 chữ in hoa)')
    .required(),
  active: Joi.boolean().default(true),
  rules: rulesSchema.required(),
});

export const updateProgramBody = Joi.object({
  name: Joi.string().trim().min(2).max(200),
  active: Joi.boolean(),
  rules: rulesSchema,
}).min(1);

export const overrideBody = Joi.object({
  orgId: objectId.description('Tỉnh áp dụng; mặc định là tổ chức của người phê duyệt'),
  rules: overrideRulesSchema.required(),
});

export const effectiveRulesQuery = Joi.object({
  orgId: objectId.description('Xem quy định áp dụng cho tỉnh của tổ chức này; mặc định tổ chức của người dùng'),
});

export const programResponse = Joi.object({
  id: Joi.string(),
  code: Joi.string(),
  name: Joi.string(),
  codePrefix: Joi.string(),
  active: Joi.boolean(),
  rules: rulesSchema,
  createdAt: Joi.string(),
  updatedAt: Joi.string(),
});
