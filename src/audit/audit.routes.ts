import Joi from 'joi';
import mongoose from 'mongoose';
import { ForbiddenError } from '../core/errors.js';
import { principalOf } from '../core/http/request-context.js';
import type { RouteDef } from '../core/http/route.js';
import { verifyChain } from './verify.js';

const problem = Joi.object({
  position: Joi.number()
    .integer()
    .description('Vị trí (seq) trong chuỗi: của bản ghi bị sửa hoặc chèn, hoặc vị trí đầu tiên bị xoá'),
  entryId: Joi.string().allow(null).description('Bản ghi liên quan; null khi bản ghi đã bị xoá'),
  kind: Joi.string()
    .valid('changed', 'removed', 'inserted')
    .description(
      'changed: nội dung không khớp mã băm; removed: thiếu vị trí trong chuỗi; inserted: bản ghi không nằm đúng chỗ trong chuỗi (không có vị trí, trùng vị trí, hoặc không nối vào bản ghi trước)',
    ),
  detail: Joi.string().description('Mô tả bằng tiếng Việt'),
});

export const auditRoutes: RouteDef[] = [
  {
    method: 'get',
    path: '/admin/audit/verify',
    tag: 'Quản trị',
    roles: ['admin'],
    summary: 'Kiểm tra chuỗi băm của nhật ký kiểm toán và chỉ ra bản ghi đầu tiên bị sửa, xoá hoặc chèn',
    description:
      'Chỉ quản trị viên cấp Tổng Liên đoàn (chuỗi là một cho cả cơ sở dữ liệu); quản trị viên cấp khác nhận 403. ' +
      'Cùng phép kiểm tra với lệnh `npm run audit:verify`. headSeq và headHash là đầu chuỗi hiện tại, có thể in ra giấy để đối chiếu về sau.',
    responses: {
      200: {
        description: 'Kết quả kiểm tra; ok = true khi chuỗi nguyên vẹn',
        schema: Joi.object({
          ok: Joi.boolean(),
          checkedAt: Joi.string(),
          checked: Joi.number().integer().description('Số bản ghi đã đọc'),
          headSeq: Joi.number().integer(),
          headHash: Joi.string().description('SHA-256 (hex) của bản ghi cuối chuỗi'),
          firstProblem: problem.allow(null),
          problemCount: Joi.number().integer(),
        }),
      },
    },
    handler: async (req, res) => {
      if (principalOf(req).orgPath.length !== 1)
        throw new ForbiddenError('Chỉ quản trị viên cấp Tổng Liên đoàn được kiểm tra nhật ký kiểm toán.');
      const db = mongoose.connection.db;
      if (!db) throw new Error('audit verify: the database is not connected');
      res.json(await verifyChain(db));
    },
  },
];
