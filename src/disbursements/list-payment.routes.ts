import type { AppContext } from '../core/context.js';
import { idParams } from '../core/http/common-schemas.js';
import { principalOf } from '../core/http/request-context.js';
import { validQuery } from '../core/http/validate.js';
import type { RouteDef } from '../core/http/route.js';
import { acceptedResponse, answerWithJob, asyncNote } from '../jobs/index.js';
import {
  listPaymentBody,
  listPaymentPlanQuery,
  listPaymentPlanResponse,
  listPaymentResponse,
} from './disbursements.schemas.js';
import { requireKey } from './idempotency.js';
import { LIST_PAYMENT_JOB, listPaymentItems, listPaymentPlan, registerListPaymentJob } from './list-payment.js';

/** Paying a whole list on the server (SPEC §7, §14): one request, one voucher, one payment per case. */
export function listPaymentRoutes(ctx: AppContext): RouteDef[] {
  registerListPaymentJob();
  return [
    {
      method: 'get',
      path: '/batches/:id/payment-plan',
      tag: 'Chi trả',
      roles: ['accountant'],
      summary:
        'Xem trước chi trả cả danh sách: từng hồ sơ sẽ được chi bao nhiêu, đợt nào, từ nguồn nào, hoặc vì sao bỏ qua',
      description:
        'Cùng cách tính với `POST /batches/:id/pay` tại thời điểm đọc (đợt tiếp theo chưa chi đủ, nguồn đầu tiên còn phần cam kết ' +
        'chưa chi hoặc `fundId`). Theo thứ tự của danh sách; không thay đổi gì. Với hồ sơ bỏ qua, các trường của khoản chi là `null`.',
      schemas: { params: idParams, query: listPaymentPlanQuery },
      responses: { 200: { description: 'Kế hoạch chi trả của danh sách', schema: listPaymentPlanResponse } },
      handler: async (req, res) => {
        const { fundId } = validQuery<{ fundId?: string }>(res);
        const plan = await listPaymentPlan(principalOf(req), String(req.params.id), fundId);
        res.json({
          ...plan,
          rows: plan.rows.map((row) => ({
            trancheNo: null,
            trancheLabel: null,
            amount: null,
            fundId: null,
            fundCode: null,
            reason: null,
            ...row,
          })),
        });
      },
    },
    {
      method: 'post',
      path: '/batches/:id/pay',
      tag: 'Chi trả',
      roles: ['accountant'],
      summary: 'Chi trả cả danh sách: mỗi hồ sơ một khoản chi, cùng một số phiếu chi',
      description: [
        'Mỗi hồ sơ của danh sách được chi đợt tiếp theo chưa chi đủ, từ nguồn đầu tiên còn phần cam kết chưa chi (hoặc `fundId`), ' +
          'số tiền là phần còn lại của đợt trong phạm vi nguồn đó, qua đúng quy tắc của `POST /cases/:id/disbursements`. ' +
          'Hồ sơ không ở trạng thái chi được, đã chi đủ hay thiếu giấy tờ của đợt: `skipped` kèm lý do; bị từ chối: `failed` kèm mã lỗi.',
        'Bắt buộc header `Idempotency-Key`: cùng khóa và cùng nội dung trả lại cùng một công việc, không chi lần hai; cùng khóa, nội dung khác: 409 `IDEMPOTENCY_CONFLICT`. ' +
          'Mỗi khoản chi có khóa riêng từ công việc và hồ sơ, nên công việc được làm tiếp sau khi máy chủ dừng không bao giờ chi hai lần.',
        'Kết quả: từng hồ sơ (khoản chi kèm chuỗi VietQR khi chuyển khoản), số lượng, tổng tiền và đường dẫn tải danh sách chuyển khoản cho ngân hàng (`transferList`).',
        asyncNote(ctx.config.jobs.syncLimit),
      ].join('\n\n'),
      headers: [
        {
          name: 'Idempotency-Key',
          required: true,
          description: 'Khóa duy nhất cho lần chi cả danh sách này (8–128 ký tự)',
        },
      ],
      schemas: { params: idParams, body: listPaymentBody },
      responses: {
        201: {
          description:
            'Kết quả chi trả từng hồ sơ: `result` của công việc (số hồ sơ đã chi, lỗi từng hồ sơ, liên kết danh sách chuyển khoản và VietQR)',
          schema: listPaymentResponse,
        },
        202: acceptedResponse,
      },
      handler: async (req, res) => {
        const key = requireKey(req.get('idempotency-key'));
        const batchId = String(req.params.id);
        const itemKeys = await listPaymentItems(principalOf(req), batchId);
        await answerWithJob(
          ctx,
          req,
          res,
          { kind: LIST_PAYMENT_JOB, input: { batchId, ...req.body }, itemKeys, idempotencyKey: key },
          201,
        );
      },
    },
  ];
}
