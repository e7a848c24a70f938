import Joi from 'joi';
import { isoDate, isoDateTime, listQuery, objectId, pageSchema, searchText } from '../core/http/common-schemas.js';

const amount = Joi.number().integer().min(0).max(1_000_000_000_000);

export const createCampaignBody = Joi.object({
  code: Joi.string()
    .trim()
    .uppercase()
    .pattern(/^[A-Z0-9][A-Z0-9_.-]{1,39}$/, 'mã đợt')
    .required(),
  programCode: Joi.string()
    .pattern(/^[a-z][a-z0-9_]{0,39}$/)
    .required(),
  name: Joi.string().trim().min(2).max(200).required(),
  opensAt: isoDate.required().description('Ngày bắt đầu nhận hồ sơ (YYYY-MM-DD, giờ Việt Nam)'),
  closesAt: isoDate.required().description('Ngày cuối nhận hồ sơ, tính cả ngày đó'),
  budget: amount.required().description('Dự toán, VND'),
  orgId: objectId.description('LĐLĐ tỉnh; mặc định tổ chức của người phê duyệt'),
});

export const updateCampaignBody = Joi.object({
  name: Joi.string().trim().min(2).max(200),
  opensAt: isoDate,
  closesAt: isoDate,
  budget: amount,
}).min(1);

export const listCampaignsQuery = listQuery(
  ['opensAt', 'closesAt', 'code', 'createdAt'],
  {
    programCode: Joi.string().pattern(/^[a-z][a-z0-9_]{0,39}$/),
    open: Joi.boolean().description('true: chỉ các đợt đang mở hôm nay'),
    q: searchText,
  },
  '-opensAt',
);

export const campaignResponse = Joi.object({
  id: objectId,
  code: Joi.string(),
  programCode: Joi.string(),
  name: Joi.string(),
  opensAt: Joi.string(),
  closesAt: Joi.string(),
  budget: Joi.number().integer(),
  approvedAmount: Joi.number().integer().description('Tổng số tiền đã phê duyệt trong đợt'),
  approvedCount: Joi.number().integer(),
  remainingBudget: Joi.number().integer().description('Dự toán trừ số đã phê duyệt'),
  open: Joi.boolean().description('Đang mở hôm nay (giờ Việt Nam)'),
  orgId: objectId,
  orgPath: Joi.array().items(objectId),
  createdBy: Joi.object({ id: Joi.string(), name: Joi.string() }),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

export const campaignPage = pageSchema(campaignResponse);
