import Joi from 'joi';
import { isoDate, isoDateTime, listQuery, objectId, pageSchema, searchText } from '../core/http/common-schemas.js';
import { CASE_ACTIONS, CASE_STATUSES } from './workflow.js';

const code = Joi.string().pattern(/^[a-z][a-z0-9_]{0,39}$/);
const amount = Joi.number().integer().min(1).max(10_000_000_000);
const revision = Joi.number()
  .integer()
  .min(1)
  .description('Phiên bản hồ sơ đã xem; bắt buộc nếu không gửi header If-Match');

/** Program-specific facts (union_house: landStatus, currentCondition, estimatedCost, counterpartFunds; disaster_relief: damageDescription). */
const details = Joi.object()
  .pattern(
    /^[a-zA-Z][a-zA-Z0-9_]{0,39}$/,
    Joi.alternatives(
      Joi.string().max(2000).allow(''),
      Joi.number().integer().min(0).max(100_000_000_000),
      Joi.boolean(),
    ),
  )
  .max(30)
  .description(
    'Thông tin riêng của chương trình, ví dụ landStatus, currentCondition, estimatedCost, counterpartFunds, damageDescription',
  );

export const createCaseBody = Joi.object({
  programCode: code.required(),
  subtype: code.description('new_build / repair / mức thiệt hại; bỏ trống khi chương trình chỉ có một loại'),
  memberId: objectId.required(),
  campaignId: objectId.allow(null),
  requestedAmount: amount.required().description('Số tiền đề nghị, VND'),
  situation: Joi.string().trim().max(5000).allow('').description('Hoàn cảnh khó khăn'),
  details,
});

export const updateCaseBody = Joi.object({
  revision,
  subtype: code,
  memberId: objectId,
  campaignId: objectId.allow(null),
  requestedAmount: amount,
  situation: Joi.string().trim().max(5000).allow(''),
  details,
  // The revision alone is no edit: it would only bump the revision and write an empty history entry.
}).or('subtype', 'memberId', 'campaignId', 'requestedAmount', 'situation', 'details');

/** One or more case statuses in a query: repeated (`?status=a&status=b`) or comma-separated, answered as a list. */
const oneStatus = `(${CASE_STATUSES.join('|')})`;
export const caseStatusesQuery = Joi.alternatives(
  Joi.array()
    .items(Joi.string().valid(...CASE_STATUSES))
    .single()
    .max(CASE_STATUSES.length),
  // The document states the whole rule as a pattern; the server keeps its clearer message for a wrong status.
  Joi.string()
    .pattern(/^[a-z_]+(,[a-z_]+)*$/)
    .meta({ swagger: { pattern: `^${oneStatus}(,${oneStatus})*$` } })
    .custom((value: string, helpers) => {
      const list = value.split(',');
      return list.every((s) => (CASE_STATUSES as readonly string[]).includes(s))
        ? list
        : helpers.error('any.only', { valids: CASE_STATUSES });
    }),
);

export const listCasesQuery = listQuery(
  ['createdAt', 'updatedAt', 'code', 'requestedAmount', 'submittedAt'],
  {
    status: caseStatusesQuery.description('Một hoặc nhiều trạng thái, phân cách bằng dấu phẩy'),
    programCode: code,
    orgId: objectId.description('Chỉ hồ sơ thuộc cây con của tổ chức này'),
    campaignId: objectId,
    batchId: objectId.description('Chỉ hồ sơ được nhập từ danh sách này (GET /batches)'),
    verifierOrgId: objectId.description(
      'Chỉ hồ sơ của các công đoàn cơ sở mà tổ chức này là công đoàn cấp trên trực tiếp (tổ chức thẩm định); ' +
        'Việc cần làm của cán bộ thẩm định dùng tổ chức của chính mình',
    ),
    from: isoDate.description('Tạo từ ngày (giờ Việt Nam)'),
    to: isoDate.description('Tạo đến hết ngày (giờ Việt Nam)'),
    q: searchText.description('Mã hồ sơ, số CCCD đủ 12 số, hoặc họ tên đoàn viên (không phân biệt dấu)'),
  },
  '-createdAt',
);

const person = Joi.object({ id: Joi.string(), name: Joi.string() });

export const caseResponse = Joi.object({
  id: objectId,
  code: Joi.string().example('MAC-2026-000123'),
  programCode: Joi.string(),
  subtype: Joi.string(),
  campaignId: objectId.allow(null),
  memberId: objectId,
  memberName: Joi.string(),
  memberSnapshot: Joi.object({
    fullName: Joi.string(),
    dateOfBirth: Joi.string(),
    gender: Joi.string(),
    citizenId: Joi.string(),
    unionCardNo: Joi.string().allow(null).optional(),
    joinedUnionAt: Joi.string().allow(null),
    phone: Joi.string().allow(null),
    address: Joi.object({ province: Joi.string(), commune: Joi.string(), detail: Joi.string().allow('') }),
    bankAccount: Joi.object({ bankBin: Joi.string(), accountNo: Joi.string(), accountName: Joi.string() }).allow(null),
    orgId: Joi.string(),
    takenAt: isoDateTime,
  })
    .allow(null)
    .description('Thông tin đoàn viên tại thời điểm gửi hồ sơ (đầy đủ CCCD; mỗi lần xem được ghi nhật ký)'),
  orgId: objectId,
  orgPath: Joi.array().items(objectId),
  requestedAmount: Joi.number().integer(),
  recommendedAmount: Joi.number().integer().allow(null),
  approvedAmount: Joi.number().integer().allow(null),
  disbursedAmount: Joi.number().integer(),
  fundAllocations: Joi.array()
    .items(
      Joi.object({
        fundId: objectId,
        fundCode: Joi.string(),
        fundName: Joi.string(),
        amount: Joi.number().integer(),
        paid: Joi.number().integer(),
      }),
    )
    .description('Nguồn kinh phí đã cam kết khi phê duyệt và số đã chi từ mỗi nguồn'),
  tranches: Joi.array()
    .items(
      Joi.object({
        no: Joi.number().integer(),
        label: Joi.string(),
        percent: Joi.number(),
        amount: Joi.number().integer(),
        paid: Joi.number().integer(),
        requiresDocuments: Joi.array().items(Joi.string()),
      }),
    )
    .description('Các đợt chi của số tiền phê duyệt, cố định từ lần chi đầu tiên'),
  situation: Joi.string(),
  details,
  documents: Joi.array().items(
    Joi.object({
      id: Joi.string(),
      type: Joi.string(),
      originalName: Joi.string(),
      mimeType: Joi.string(),
      size: Joi.number(),
      sha256: Joi.string(),
      uploadedBy: person,
      uploadedAt: isoDateTime,
      statusAtUpload: Joi.string(),
    }),
  ),
  status: Joi.string().valid(...CASE_STATUSES),
  history: Joi.array().items(
    Joi.object({
      action: Joi.string(),
      from: Joi.string().allow(null),
      to: Joi.string().allow(null),
      by: person,
      at: isoDateTime,
      note: Joi.string(),
      entryId: Joi.string().optional().description('Khoản chi mà mục này ghi nhận (chi trả cả danh sách)'),
    }),
  ),
  revision: Joi.number().integer(),
  allowedActions: Joi.array()
    .items(Joi.string().valid(...CASE_ACTIONS))
    .description('Các thao tác người gọi được làm ngay bây giờ'),
  createdBy: person,
  submittedAt: isoDateTime.allow(null),
  submittedDay: isoDate.allow(null).description('Ngày gửi hồ sơ theo giờ Việt Nam (khóa của báo cáo)'),
  verifiedBy: person.allow(null),
  verifiedAt: isoDateTime.allow(null),
  approvedBy: person.allow(null),
  approvedAt: isoDateTime.allow(null),
  approvedDay: isoDate.allow(null).description('Ngày phê duyệt (ngày quyết định) theo giờ Việt Nam (khóa của báo cáo)'),
  decisionId: objectId.allow(null),
  batchId: objectId.allow(null),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

/** A list leaves out the long and personal parts of each case. */
export const casePage = pageSchema(
  caseResponse.fork(['memberSnapshot', 'details', 'documents', 'history', 'allowedActions'], (key) => key.forbidden()),
);
