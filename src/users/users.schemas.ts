import Joi from 'joi';
import { isoDateTime, listQuery, objectId, pageSchema, personName, searchText } from '../core/http/common-schemas.js';
import { ROLES } from '../core/shared/roles.js';
import { MIN_PASSWORD_LENGTH } from './password.js';

const password = Joi.string().min(MIN_PASSWORD_LENGTH).max(200).description(`Ít nhất ${MIN_PASSWORD_LENGTH} ký tự`);
const roles = Joi.array()
  .items(Joi.string().valid(...ROLES))
  .min(1)
  .max(ROLES.length)
  .unique();

export const createUserBody = Joi.object({
  username: Joi.string()
    .trim()
    .lowercase()
    .pattern(/^[a-z0-9][a-z0-9._-]{2,49}$/, 'tên đăng nhập (chữ thường, số, . _ -)')
    .required(),
  password: password.required(),
  fullName: personName.required(),
  orgId: objectId.required(),
  roles: roles.required(),
  title: Joi.string().trim().max(100).allow(''),
});

export const updateUserBody = Joi.object({
  fullName: personName,
  title: Joi.string().trim().max(100).allow(''),
  roles,
  active: Joi.boolean().description('false: khóa tài khoản và kết thúc mọi phiên đăng nhập'),
  password: password.description('Đặt lại mật khẩu; kết thúc mọi phiên đăng nhập'),
}).min(1);

export const listUsersQuery = listQuery(['username', 'fullName', 'createdAt'], {
  orgId: objectId,
  role: Joi.string().valid(...ROLES),
  active: Joi.boolean(),
  q: searchText.description('Tìm theo tên đăng nhập hoặc họ tên, không phân biệt dấu'),
});

export const userResponse = Joi.object({
  id: objectId,
  username: Joi.string(),
  fullName: Joi.string(),
  title: Joi.string(),
  orgId: objectId,
  orgPath: Joi.array().items(objectId),
  roles: Joi.array().items(Joi.string().valid(...ROLES)),
  active: Joi.boolean(),
  lastLoginAt: isoDateTime.allow(null),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

export const userPage = pageSchema(userResponse);
