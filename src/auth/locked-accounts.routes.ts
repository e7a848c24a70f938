import Joi from 'joi';
import { actorOf, principalOf } from '../core/http/request-context.js';
import type { RouteDef } from '../core/http/route.js';
import { listLockedAccounts, unlockAccount } from './locked-accounts.service.js';

const tag = 'Quản trị';

const pair = {
  username: Joi.string().trim().lowercase().min(1).max(50).required(),
  address: Joi.string().trim().min(1).max(100).required().description('Địa chỉ máy khách như máy chủ nhìn thấy'),
};

const lockedAccount = Joi.object({
  ...pair,
  failures: Joi.number().integer(),
  lockedUntil: Joi.string().isoDate(),
  user: Joi.object({ id: Joi.string(), fullName: Joi.string(), orgId: Joi.string() })
    .allow(null)
    .description('Người dùng của tên đăng nhập; null khi tên đăng nhập không tồn tại'),
});

export const lockedAccountRoutes: RouteDef[] = [
  {
    method: 'get',
    path: '/admin/locked-accounts',
    tag,
    roles: ['admin'],
    summary: 'Các cặp tên đăng nhập × địa chỉ đang tạm khóa vì đăng nhập sai',
    description:
      'Chỉ người dùng trong phạm vi của quản trị viên; tên đăng nhập không tồn tại chỉ hiện cho quản trị viên cấp gốc.',
    responses: { 200: { description: 'Danh sách', schema: Joi.object({ items: Joi.array().items(lockedAccount) }) } },
    handler: async (req, res) => {
      res.json({ items: await listLockedAccounts(principalOf(req)) });
    },
  },
  {
    method: 'post',
    path: '/admin/locked-accounts/unlock',
    tag,
    roles: ['admin'],
    summary: 'Mở khóa một cặp tên đăng nhập × địa chỉ (ghi nhật ký kiểm toán)',
    description: 'Xóa bộ đếm lần sai của cặp đó. Cặp không bị khóa hoặc ngoài phạm vi: 404.',
    schemas: { body: Joi.object(pair) },
    responses: { 204: { description: 'Đã mở khóa' } },
    handler: async (req, res) => {
      await unlockAccount(principalOf(req), actorOf(req), req.body.username, req.body.address);
      res.status(204).end();
    },
  },
];
