import Joi from 'joi';
import {
  isoDate,
  isoDateTime,
  listQuery,
  objectId,
  pageSchema,
  personName,
  searchText,
} from '../core/http/common-schemas.js';
import { searchKey } from '../core/search-text.js';

const citizenId = Joi.string()
  .pattern(/^\d{12}$/, 'CCCD (đúng 12 chữ số)')
  .description('Số CCCD: đúng 12 chữ số');
const phone = Joi.string()
  .trim()
  .pattern(/^(\+84|0)\d{9,10}$/, 'số điện thoại Việt Nam')
  .allow('');

const address = Joi.object({
  province: Joi.string().trim().max(100).allow(''),
  commune: Joi.string().trim().max(100).allow(''),
  detail: Joi.string().trim().max(300).allow(''),
});

const bankAccount = Joi.object({
  bankBin: Joi.string()
    .pattern(/^\d{6}$/, 'mã BIN ngân hàng (6 chữ số)')
    .required(),
  accountNo: Joi.string()
    .pattern(/^[0-9A-Za-z]{4,19}$/, 'số tài khoản')
    .required(),
  // Banks hold the holder's name in capitals without diacritics (VietQR, transfer lists): "Đặng Thị Hòa" → "DANG THI HOA".
  accountName: Joi.string()
    .trim()
    .max(100)
    .required()
    .custom((value: string) => searchKey(value).toUpperCase())
    .description('Tên chủ tài khoản, in hoa không dấu (chuyển tự động)'),
}).allow(null);

const fields = {
  fullName: personName,
  dateOfBirth: isoDate.description('YYYY-MM-DD'),
  gender: Joi.string().valid('male', 'female'),
  citizenId,
  unionCardNo: Joi.string().trim().max(30).allow(''),
  joinedUnionAt: isoDate.description('YYYY-MM-DD'),
  orgId: objectId.description('Công đoàn cơ sở của đoàn viên; mặc định là tổ chức của người tạo'),
  phone,
  address,
  bankAccount,
};

export const createMemberBody = Joi.object({
  ...fields,
  fullName: fields.fullName.required(),
  dateOfBirth: fields.dateOfBirth.required(),
  gender: fields.gender.required(),
  citizenId: citizenId.required(),
  joinedUnionAt: fields.joinedUnionAt.required(),
  unionCardNo: Joi.string().trim().min(1).max(30),
});

export const updateMemberBody = Joi.object(fields).min(1);

export const listMembersQuery = listQuery(['fullName', 'createdAt', 'joinedUnionAt'], {
  orgId: objectId.description('Chỉ đoàn viên thuộc cây con của tổ chức này'),
  gender: Joi.string().valid('male', 'female'),
  q: searchText.description('Họ tên (không phân biệt dấu, hoa thường) hoặc số CCCD đủ 12 chữ số'),
});

export const memberResponse = Joi.object({
  id: objectId,
  fullName: Joi.string(),
  dateOfBirth: Joi.string(),
  gender: Joi.string().valid('male', 'female'),
  citizenId: Joi.string().description('Đầy đủ khi xem một đoàn viên; che (********1234) trong danh sách'),
  unionCardNo: Joi.string().optional().description('Không có khi đoàn viên chưa có số thẻ'),
  joinedUnionAt: Joi.string(),
  orgId: objectId,
  orgPath: Joi.array().items(objectId),
  phone: Joi.string(),
  address: address,
  bankAccount: Joi.object({ bankBin: Joi.string(), accountNo: Joi.string(), accountName: Joi.string() }).allow(null),
  membershipEndedAt: Joi.string()
    .allow(null)
    .description('SPEC §3: ngày chấm dứt tư cách đoàn viên (ví dụ khi công đoàn giải thể với endMemberships)'),
  membershipEndReason: Joi.string().allow(null, ''),
  createdBy: objectId,
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

export const memberPage = pageSchema(memberResponse);
