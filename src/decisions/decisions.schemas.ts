import Joi from 'joi';
import { signerFields } from '../cases/index.js';
import { isoDate, isoDateTime, listQuery, objectId, pageSchema } from '../core/http/common-schemas.js';
import { DECISION_STATUSES } from './decisions.model.js';

export const settleBody = Joi.object(signerFields);

export const listDecisionsQuery = listQuery(
  ['issuedAt', 'createdAt', 'totalAmount', 'sequence'],
  {
    programCode: Joi.string().pattern(/^[a-z][a-z0-9_]{0,39}$/),
    campaignId: objectId,
    status: Joi.string()
      .valid(...DECISION_STATUSES)
      .description('issued (còn hiệu lực) hoặc revoked (đã thu hồi)'),
    from: isoDate.description('Ngày quyết định từ (YYYY-MM-DD)'),
    to: isoDate.description('Ngày quyết định đến hết ngày (YYYY-MM-DD)'),
  },
  '-issuedAt',
);

const person = Joi.object({ id: Joi.string(), name: Joi.string() });

const summaryFields = {
  id: objectId,
  number: Joi.string().example('15/QĐ-LĐLĐ'),
  sequence: Joi.number().integer().description('Số thứ tự trong năm của tổ chức ban hành'),
  year: Joi.number().integer(),
  issuedAt: Joi.string().example('2026-08-09').description('Ngày quyết định (YYYY-MM-DD, giờ Việt Nam)'),
  issuerOrgId: objectId,
  issuerName: Joi.string(),
  issuerShortName: Joi.string(),
  kind: Joi.string().valid('single', 'batch'),
  signerName: Joi.string(),
  signerTitle: Joi.string(),
  programCode: Joi.string(),
  campaignId: objectId.allow(null),
  caseIds: Joi.array().items(objectId),
  totalAmount: Joi.number().integer(),
  status: Joi.string().valid(...DECISION_STATUSES),
  revokedAt: isoDateTime.allow(null),
  revokeReason: Joi.string().allow(null),
  pdf: Joi.object({ sha256: Joi.string(), size: Joi.number().integer() }).allow(null),
  pdfUrl: Joi.string(),
  lineCount: Joi.number().integer().description('Số người được hỗ trợ trong quyết định (số dòng của phụ lục)'),
  createdBy: person,
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
};

export const decisionResponse = Joi.object({
  ...summaryFields,
  legalBases: Joi.array().items(Joi.string()),
  lines: Joi.array()
    .items(
      Joi.object({
        caseId: objectId,
        caseCode: Joi.string(),
        memberName: Joi.string(),
        citizenIdMasked: Joi.string().example('********1234'),
        orgId: objectId,
        orgName: Joi.string(),
        subtype: Joi.string(),
        amount: Joi.number().integer(),
      }),
    )
    .description(
      'Người được hỗ trợ như in trên quyết định (CCCD đã che), theo thứ tự của danh sách; tối đa 1.000 người đầu, ' +
        'danh sách đầy đủ nằm trong phụ lục của tệp PDF',
    ),
  content: Joi.object({
    subject: Joi.string(),
    decidingBody: Joi.string(),
    articles: Joi.array().items(Joi.string()),
    recipients: Joi.array().items(Joi.string()),
    parentName: Joi.string(),
    place: Joi.string().allow(''),
    templateSource: Joi.string(),
    verifyUrl: Joi.string(),
  }).description('Nội dung đã điền từ mẫu khi ban hành: trích yếu, các điều, nơi nhận'),
  revocations: Joi.array().items(Joi.object({ caseId: objectId, reason: Joi.string(), by: person, at: isoDateTime })),
  verifyUrl: Joi.string().description('Địa chỉ xác thực công khai in trong mã QR'),
});

export const decisionPage = pageSchema(Joi.object(summaryFields));

/** The secret of a decision's printed verify link: 128 random bits in base64url. */
export const verifyTokenParams = Joi.object({
  token: Joi.string()
    .pattern(/^[A-Za-z0-9_-]{22}$/, 'base64url')
    .required()
    .description('Mã xác thực in trên quyết định (22 ký tự)'),
});

export const verifyResponse = Joi.object({
  id: objectId.optional().description('Chỉ có khi hỏi theo mã định danh'),
  number: Joi.string().example('15/QĐ-LĐLĐ'),
  issuedAt: Joi.string().example('2026-08-09'),
  issuer: Joi.object({ name: Joi.string() }),
  programCode: Joi.string(),
  programName: Joi.string(),
  caseCount: Joi.number().integer().description('Số người được hỗ trợ (mỗi hồ sơ một người)'),
  totalAmount: Joi.number().integer(),
  status: Joi.string().valid(...DECISION_STATUSES),
  revokedAt: isoDateTime.allow(null),
  sha256: Joi.string().description('SHA-256 (hex) của tệp PDF; so với tệp đang có để biết tệp có bị sửa'),
});
