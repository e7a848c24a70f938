import Joi from 'joi';
import { isoDate, isoDateTime, listQuery, objectId, pageSchema, searchText } from '../core/http/common-schemas.js';
import { ENTRY_KINDS, FUND_KINDS } from './funds.model.js';

const MAX_VND = 1_000_000_000_000;
const amount = Joi.number().integer().min(1).max(10_000_000_000);

export const createFundBody = Joi.object({
  code: Joi.string()
    .trim()
    .uppercase()
    .pattern(/^[A-Z0-9][A-Z0-9_.-]{1,39}$/, 'mã nguồn')
    .required()
    .description('Mã nguồn, duy nhất trong tỉnh, ví dụ QXH-2026'),
  name: Joi.string().trim().min(2).max(200).required(),
  kind: Joi.string()
    .valid(...FUND_KINDS)
    .required()
    .description(
      'union_finance (tài chính công đoàn), social_fund (quỹ xã hội), sponsor (tài trợ), upper_support (hỗ trợ cấp trên)',
    ),
  sponsorName: Joi.string()
    .trim()
    .min(2)
    .max(200)
    .allow(null)
    .when('kind', { is: 'sponsor', then: Joi.required().invalid(null) })
    .description('Tên nhà tài trợ; bắt buộc khi kind là sponsor')
    // joi-to-swagger renders the `when` as a meaningless `oneOf`; the rule is stated on the object below.
    .meta({ swagger: { oneOf: undefined } }),
  year: Joi.number().integer().min(2000).max(2100).required(),
  allocated: Joi.number().integer().min(0).max(MAX_VND).required().description('Số được phân bổ ban đầu, VND'),
  orgId: objectId.description('LĐLĐ tỉnh sở hữu nguồn; mặc định tổ chức của người tạo'),
}).meta({
  // OpenAPI 3.0 has no if/then: "not a sponsor, or a sponsor with a name".
  swagger: {
    anyOf: [
      { properties: { kind: { not: { enum: ['sponsor'] } } } },
      { required: ['sponsorName'], properties: { sponsorName: { type: 'string' } } },
    ],
  },
});

export const adjustFundBody = Joi.object({
  amount: Joi.number()
    .integer()
    .min(-MAX_VND)
    .max(MAX_VND)
    .invalid(0)
    .required()
    .description('Số điều chỉnh phân bổ, VND: dương để tăng, âm để giảm (không giảm dưới số đã cam kết)'),
  reason: Joi.string().trim().min(5).max(2000).required().description('Lý do điều chỉnh (bắt buộc)'),
});

export const listFundsQuery = listQuery(
  ['code', 'year', 'name', 'available', 'createdAt'],
  {
    year: Joi.number().integer().min(2000).max(2100),
    kind: Joi.string().valid(...FUND_KINDS),
    orgId: objectId.description('Chỉ nguồn của tỉnh này (trong phạm vi)'),
    q: searchText.description('Mã hoặc tên nguồn (không phân biệt dấu)'),
  },
  '-year',
);

export const statementQuery = Joi.object({
  from: isoDate.description('Từ ngày (giờ Việt Nam); số dư đầu kỳ gồm mọi phát sinh trước ngày này'),
  to: isoDate.description('Đến hết ngày (giờ Việt Nam)'),
});

/** The approval body's allocation of the approved amount to the province's funds (SPEC §7, Appendix A). */
export const fundAllocationsSchema = Joi.array()
  .items(Joi.object({ fundId: objectId.required(), amount: amount.required().description('VND') }))
  .min(1)
  .max(10)
  .unique('fundId')
  .description('Phân bổ số tiền phê duyệt vào các nguồn kinh phí của tỉnh; tổng phải bằng approvedAmount');

const person = Joi.object({ id: Joi.string(), name: Joi.string() });
const totals = Joi.object({
  allocated: Joi.number().integer(),
  committed: Joi.number().integer(),
  disbursed: Joi.number().integer(),
  available: Joi.number().integer().description('allocated − committed'),
  balance: Joi.number().integer().description('allocated − disbursed: tiền còn lại trong nguồn'),
});

export const fundResponse = Joi.object({
  id: objectId,
  code: Joi.string(),
  name: Joi.string(),
  kind: Joi.string().valid(...FUND_KINDS),
  sponsorName: Joi.string().allow(null),
  year: Joi.number().integer(),
  orgId: objectId,
  orgPath: Joi.array().items(objectId),
  allocated: Joi.number().integer(),
  committed: Joi.number().integer().description('Tổng số đã phê duyệt từ nguồn (đã chi hoặc chưa)'),
  disbursed: Joi.number().integer(),
  available: Joi.number().integer().description('allocated − committed: còn có thể cam kết'),
  createdBy: person,
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

export const fundPage = pageSchema(fundResponse);

export const statementResponse = Joi.object({
  fund: fundResponse,
  from: Joi.string().allow(null),
  to: Joi.string().allow(null),
  opening: totals,
  entries: Joi.array().items(
    Joi.object({
      id: objectId,
      at: isoDateTime,
      kind: Joi.string().valid(...ENTRY_KINDS),
      amount: Joi.number().integer(),
      effect: Joi.object({ allocated: Joi.number(), committed: Joi.number(), disbursed: Joi.number() }),
      caseId: objectId.allow(null),
      caseCode: Joi.string().allow(null),
      disbursementId: objectId.allow(null),
      voucherNo: Joi.string().allow(null),
      note: Joi.string().allow(''),
      by: person.allow(null),
      running: totals,
    }),
  ),
  closing: totals,
});
