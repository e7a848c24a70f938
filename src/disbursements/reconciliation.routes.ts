import Joi from 'joi';
import { principalOf } from '../core/http/request-context.js';
import type { RouteDef } from '../core/http/route.js';
import { reconcile } from './reconciliation.js';

const difference = Joi.object({
  entity: Joi.string().valid('fund', 'case', 'disbursement'),
  id: Joi.string(),
  code: Joi.string(),
  field: Joi.string(),
  // null inside an alternative: OpenAPI 3.0 ignores `nullable` on a schema without `type`.
  recorded: Joi.alternatives(Joi.number().allow(null), Joi.string()),
  expected: Joi.alternatives(Joi.number().allow(null), Joi.string()),
  source: Joi.string().description('Con số đúng được tính lại từ đâu'),
});

export const reconciliationRoutes: RouteDef[] = [
  {
    method: 'get',
    path: '/admin/reconciliation',
    tag: 'Quản trị',
    roles: ['admin'],
    summary: 'Đối soát: tính lại tổng của mọi nguồn kinh phí và hồ sơ từ dữ liệu gốc và báo từng chênh lệch',
    description:
      'Phạm vi là cây con của tổ chức người gọi: quản trị viên Tổng Liên đoàn đối soát toàn hệ thống, quản trị viên tỉnh đối soát tỉnh mình. ' +
      'Cùng phép tính với lệnh `npm run reconcile`. Chạy trong lúc đang chi trả có thể thấy một khoản đang ghi dở: chạy lại để xác nhận.',
    responses: {
      200: {
        description: 'Kết quả đối soát; ok = true khi không có chênh lệch',
        schema: Joi.object({
          checkedAt: Joi.string(),
          orgId: Joi.string().allow(null),
          funds: Joi.number().integer(),
          cases: Joi.number().integer(),
          ok: Joi.boolean(),
          differences: Joi.array().items(difference),
        }),
      },
    },
    handler: async (req, res) => {
      res.json(await reconcile(principalOf(req).orgId));
    },
  },
];
