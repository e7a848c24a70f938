import { idParams } from '../core/http/common-schemas.js';
import { principalOf } from '../core/http/request-context.js';
import type { RouteDef } from '../core/http/route.js';
import { validQuery } from '../core/http/validate.js';
import { usersRepository } from './users.repository.js';
import { createUserBody, listUsersQuery, updateUserBody, userPage, userResponse } from './users.schemas.js';
import { createUser, getUserInScope, listUsers, updateUser, type UserListQuery } from './users.service.js';

const tag = 'Người dùng';

export const userRoutes: RouteDef[] = [
  {
    method: 'post',
    path: '/users',
    tag,
    roles: ['admin'],
    summary: 'Tạo người dùng trong một tổ chức thuộc phạm vi',
    schemas: { body: createUserBody },
    responses: { 201: { description: 'Đã tạo', schema: userResponse } },
    handler: async (req, res) => {
      res.status(201).json(usersRepository.toJSON(await createUser(principalOf(req), req.body)));
    },
  },
  {
    method: 'get',
    path: '/users',
    tag,
    roles: ['admin'],
    summary: 'Danh sách người dùng trong phạm vi',
    schemas: { query: listUsersQuery },
    responses: { 200: { description: 'Một trang', schema: userPage } },
    handler: async (req, res) => {
      res.json(await listUsers(principalOf(req), validQuery<UserListQuery>(res)));
    },
  },
  {
    method: 'get',
    path: '/users/:id',
    tag,
    roles: ['admin'],
    summary: 'Xem một người dùng',
    schemas: { params: idParams },
    responses: { 200: { description: 'Người dùng', schema: userResponse } },
    handler: async (req, res) => {
      res.json(usersRepository.toJSON(await getUserInScope(principalOf(req), String(req.params.id))));
    },
  },
  {
    method: 'patch',
    path: '/users/:id',
    tag,
    roles: ['admin'],
    summary: 'Sửa, khóa/mở khóa người dùng hoặc đặt lại mật khẩu',
    description: 'Khóa tài khoản (`active: false`) hoặc đổi mật khẩu kết thúc ngay mọi phiên đăng nhập của người đó.',
    schemas: { params: idParams, body: updateUserBody },
    responses: { 200: { description: 'Đã sửa', schema: userResponse } },
    handler: async (req, res) => {
      res.json(usersRepository.toJSON(await updateUser(principalOf(req), String(req.params.id), req.body)));
    },
  },
];
