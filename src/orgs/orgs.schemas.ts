import Joi from 'joi';
import { isoDateTime, listQuery, objectId, pageSchema, searchText } from '../core/http/common-schemas.js';
import { ORG_DELEGATIONS, ORG_KINDS, ORG_LEVELS } from '../core/shared/org-levels.js';

const text = (max: number) => Joi.string().trim().min(1).max(max);
const kind = Joi.string().valid(...ORG_KINDS);
const delegations = Joi.array()
  .items(Joi.string().valid(...ORG_DELEGATIONS))
  .unique();

export const createOrgBody = Joi.object({
  code: Joi.string()
    .trim()
    .uppercase()
    .pattern(/^[A-Z0-9][A-Z0-9_.-]{0,31}$/, 'mã (chữ in hoa, số, _ . -)')
    .required()
    .description('Mã duy nhất, ví dụ HT, HT-KCN'),
  name: text(200).required().description('Tên đầy đủ, ví dụ "Liên đoàn Lao động tỉnh Hà Tĩnh"'),
  shortName: text(100).required().description('Tên viết tắt dùng trong ký hiệu văn bản'),
  level: Joi.string()
    .valid(...ORG_LEVELS.filter((l) => l !== 'national'))
    .required()
    .description(
      'province: dưới national; upper, commune: dưới province; grassroots: dưới upper, commune hoặc trực tiếp province',
    ),
  parentId: objectId.required().description('Tổ chức cấp trên trực tiếp'),
  kind: kind.description('Chỉ ở cấp province; mặc định provincial_federation'),
  delegations: delegations.description(
    'Chỉ ở cấp commune: ["verify"] khi tỉnh giao công đoàn xã, phường thẩm định hồ sơ',
  ),
  place: text(100).description('Địa danh in trên quyết định, ví dụ "Hà Tĩnh"'),
  address: Joi.string().trim().max(300).allow(''),
  parentName: Joi.string().trim().max(200).allow('').description('Tên cơ quan chủ quản in ở góc trái văn bản'),
});

export const updateOrgBody = Joi.object({
  name: text(200),
  shortName: text(100),
  place: text(100),
  address: Joi.string().trim().max(300).allow(''),
  parentName: Joi.string().trim().max(200).allow(''),
  active: Joi.boolean(),
  kind: kind.description('Chỉ ở cấp province'),
  delegations: delegations.description('Chỉ ở cấp commune; bỏ "verify" thì hồ sơ chờ thẩm định chuyển về tỉnh'),
}).min(1);

export const listOrgsQuery = listQuery(['name', 'code', 'createdAt'], {
  level: Joi.string().valid(...ORG_LEVELS),
  parentId: objectId,
  q: searchText.description('Tìm theo mã hoặc tên, không phân biệt dấu'),
});

export const orgResponse = Joi.object({
  id: objectId,
  code: Joi.string(),
  name: Joi.string(),
  shortName: Joi.string(),
  level: Joi.string().valid(...ORG_LEVELS),
  kind: Joi.string()
    .valid(...ORG_KINDS, null)
    .description('Cấp province: provincial_federation hoặc central_sector_union; cấp khác: null'),
  delegations: Joi.array().items(Joi.string().valid(...ORG_DELEGATIONS)),
  parentId: objectId.allow(null),
  orgPath: Joi.array().items(objectId),
  place: Joi.string(),
  address: Joi.string(),
  parentName: Joi.string(),
  active: Joi.boolean(),
  status: Joi.string()
    .valid('active', 'dissolved')
    .description('SPEC §2: `dissolved` sau khi giải thể hoặc sáp nhập (SPEC §13)'),
  dissolvedAt: Joi.string().allow(null).description('Ngày hiệu lực của việc giải thể (YYYY-MM-DD)'),
  successorId: objectId.allow(null).description('Tổ chức nhận đơn vị trực thuộc, đoàn viên và hồ sơ khi giải thể'),
  mergedInto: objectId.allow(null).description('Tỉnh nhận khi sáp nhập'),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

export const orgPage = pageSchema(orgResponse);
