import Joi from 'joi';
import { isoDate, isoDateTime, objectId } from '../core/http/common-schemas.js';

const reason = Joi.string().trim().min(3).max(500).required().description('Lý do (ghi vào lịch sử tổ chức)');
const effectiveDate = isoDate.required().description('Ngày có hiệu lực, YYYY-MM-DD');

export const moveBody = Joi.object({
  parentId: objectId.required().description('Tổ chức cấp trên mới'),
  effectiveDate,
  reason,
});

export const dissolveBody = Joi.object({
  effectiveDate,
  reason,
  successorId: objectId.description('Tổ chức nhận lại tổ chức con, đoàn viên và hồ sơ đang mở'),
  endMemberships: Joi.boolean()
    .valid(true)
    .description('Công đoàn cơ sở giải thể vì đoàn viên không còn thuộc công đoàn'),
})
  .xor('successorId', 'endMemberships')
  .messages({
    'object.missing': 'Cần chọn tổ chức kế thừa (successorId) hoặc chấm dứt tư cách đoàn viên (endMemberships)',
    'object.xor': 'Chỉ chọn một trong hai: tổ chức kế thừa hoặc chấm dứt tư cách đoàn viên',
  });

export const mergeBody = Joi.object({
  sourceIds: Joi.array()
    .items(objectId)
    .min(1)
    .max(10)
    .unique()
    .required()
    .description('Các tỉnh sáp nhập vào tỉnh này'),
  effectiveDate,
  reason,
});

export const previewQuery = Joi.object({
  action: Joi.string().valid('move', 'dissolve', 'merge').default('move'),
  sourceIds: Joi.string().pattern(/^[a-f0-9]{24}(,[a-f0-9]{24})*$/, 'danh sách mã, cách nhau bởi dấu phẩy'),
});

const step = Joi.object({
  kind: Joi.string(),
  collection: Joi.string().allow(null),
  done: Joi.boolean(),
  modified: Joi.number(),
}).unknown(true);

export const operationResponse = Joi.object({
  id: objectId,
  kind: Joi.string().valid('move', 'dissolve', 'merge'),
  orgId: objectId,
  params: Joi.object().unknown(true),
  status: Joi.string().valid('running', 'succeeded', 'failed'),
  progress: Joi.object({ done: Joi.number(), total: Joi.number() }),
  steps: Joi.array().items(step),
  createdBy: Joi.object({ userId: Joi.string(), name: Joi.string() }),
  createdAt: isoDateTime,
  startedAt: isoDateTime.allow(null),
  finishedAt: isoDateTime.allow(null),
  error: Joi.string().allow(null),
});

export const previewResponse = Joi.object({
  orgs: Joi.number().description('Tổ chức trong cây con (kể cả chính nó)'),
  members: Joi.number(),
  openCases: Joi.number(),
  users: Joi.number(),
  funds: Joi.number(),
  campaigns: Joi.number(),
});

const ref = Joi.object({ id: objectId.allow(null), name: Joi.string().allow('') }).allow(null);
export const historyResponse = Joi.object({
  items: Joi.array().items(
    Joi.object({
      event: Joi.string().valid('created', 'renamed', 'moved', 'dissolved', 'merged'),
      from: ref,
      to: ref,
      effectiveDate: Joi.string(),
      by: Joi.object({ userId: Joi.string().allow(null), name: Joi.string() }),
      at: isoDateTime,
      reason: Joi.string().allow(''),
    }),
  ),
});
