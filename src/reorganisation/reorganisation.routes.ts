import type { Request, Response } from 'express';
import type { AppContext } from '../core/context.js';
import { idParams } from '../core/http/common-schemas.js';
import { actorOf, principalOf } from '../core/http/request-context.js';
import type { RouteDef } from '../core/http/route.js';
import { validQuery } from '../core/http/validate.js';
import { getOrgInScope } from '../orgs/index.js';
import { acceptedResponse, answerWithJob } from '../jobs/index.js';
import { previewReorganisation } from './preview.js';
import { registerReorganisationJobs, reorganisationJobKind } from './reorganisation-jobs.js';
import { operationJSON } from './operation-json.js';
import type { OperationDoc } from './reorganisation.model.js';
import {
  dissolveBody,
  historyResponse,
  mergeBody,
  moveBody,
  operationResponse,
  previewQuery,
  previewResponse,
} from './reorganisation.schemas.js';
import { getOperation, startDissolve, startMerge, startMove, type StartOptions } from './reorganisation.service.js';

const tag = 'Tổ chức lại';
const ASYNC = {
  name: 'Prefer',
  required: false,
  description:
    '`respond-async`: trả lời 202 ngay với công việc (SPEC §14), theo dõi tiến độ tại Location (`GET /api/v1/jobs/:id`)',
} as const;

/** Said of each of the three reorganisations (SPEC §13, §14). */
function jobNote(limit: number): string {
  return (
    `Thao tác luôn chạy như một công việc dài (loại \`org.move\` / \`org.dissolve\` / \`org.merge\`). Cây con có tối đa ${limit} đoàn viên và hồ sơ ` +
    '(JOB_SYNC_LIMIT) và không có header `Prefer: respond-async`: chạy ngay, trả 200 với thao tác đã xong (và header `Location` của công việc). ' +
    'Nhiều hơn, hoặc có `Prefer: respond-async`: trả `202 Accepted`, header `Location: /api/v1/jobs/:id` và công việc; `progress` đếm số mục đã chuyển ' +
    '(tài liệu của cây con đã đổi chuỗi cấp trên, cộng một cho mỗi bước khác), `input.operationId` là thao tác (`GET /api/v1/org-operations/:id`), ' +
    '`result` là câu trả lời 200. Máy chủ dừng giữa chừng (kill -9): máy chủ khác hoặc lần khởi động sau làm tiếp từ bước chưa xong. ' +
    'Công việc này không hủy được (409). Đang có thao tác khác trong cùng tỉnh: 409 `CONFLICT`.'
  );
}

type Starter = (options: StartOptions) => Promise<OperationDoc>;

/**
 * The operation is planned and claimed in the request (a second one in the same province is 409 here), then
 * run as a job (SPEC §14): small subtrees within the request, large ones or `Prefer: respond-async` answered 202.
 */
async function answer(req: Request, res: Response, ctx: AppContext, begin: Starter) {
  const op = await begin({ run: 'later' });
  const json = operationJSON(op);
  await answerWithJob(
    ctx,
    req,
    res,
    {
      kind: reorganisationJobKind(op.kind),
      input: { operationId: json.id, orgId: json.orgId, params: json.params },
      itemKeys: [json.id],
      size: op.size ?? 0,
      total: json.progress.total,
    },
    200,
  );
}

export function reorganisationRoutes(ctx: AppContext): RouteDef[] {
  registerReorganisationJobs({ stepDelayMs: ctx.config.reorgStepDelayMs, logger: ctx.logger });
  const DONE = {
    200: { description: 'Đã thực hiện xong', schema: operationResponse },
    202: acceptedResponse,
  };
  const note = jobNote(ctx.config.jobs.syncLimit);
  return [
    {
      method: 'post',
      path: '/orgs/:id/move',
      tag,
      roles: ['admin'],
      headers: [ASYNC],
      summary: 'Chuyển một tổ chức (cùng cả cây con) sang tổ chức cấp trên khác',
      description:
        'Đoàn viên, hồ sơ, khoản chi, danh sách, tổng báo cáo và người dùng của cây con theo sang cấp trên mới; ' +
        `quyết định đã ban hành, lịch sử hồ sơ và nhật ký giữ nguyên tên của thời điểm đó. ${note}`,
      schemas: { params: idParams, body: moveBody },
      responses: DONE,
      handler: (req, res) =>
        answer(req, res, ctx, (o) => startMove(principalOf(req), actorOf(req), String(req.params.id), req.body, o)),
    },
    {
      method: 'post',
      path: '/orgs/:id/dissolve',
      tag,
      roles: ['admin'],
      headers: [ASYNC],
      summary: 'Giải thể một tổ chức (chuyển cho tổ chức kế thừa, hoặc chấm dứt tư cách đoàn viên)',
      description: note,
      schemas: { params: idParams, body: dissolveBody },
      responses: DONE,
      handler: (req, res) =>
        answer(req, res, ctx, (o) => startDissolve(principalOf(req), actorOf(req), String(req.params.id), req.body, o)),
    },
    {
      method: 'post',
      path: '/orgs/:id/merge',
      tag,
      roles: ['admin'],
      headers: [ASYNC],
      summary: 'Sáp nhập các tỉnh vào tỉnh này (quản trị viên Tổng Liên đoàn)',
      description: note,
      schemas: { params: idParams, body: mergeBody },
      responses: DONE,
      handler: (req, res) =>
        answer(req, res, ctx, (o) => startMerge(principalOf(req), actorOf(req), String(req.params.id), req.body, o)),
    },
    {
      method: 'get',
      path: '/orgs/:id/reorganisation-preview',
      tag,
      roles: ['admin'],
      summary: 'Xem trước những gì sẽ theo tổ chức khi chuyển, giải thể hay sáp nhập',
      schemas: { params: idParams, query: previewQuery },
      responses: { 200: { description: 'Số lượng', schema: previewResponse } },
      handler: async (req, res) => {
        const query = validQuery<{ action: string; sourceIds?: string }>(res);
        const sources = query.action === 'merge' && query.sourceIds ? query.sourceIds.split(',') : [];
        res.json(await previewReorganisation(principalOf(req), String(req.params.id), sources));
      },
    },
    {
      method: 'get',
      path: '/orgs/:id/history',
      tag,
      summary: 'Lịch sử của tổ chức (thành lập, đổi tên, chuyển, giải thể, sáp nhập)',
      schemas: { params: idParams },
      responses: { 200: { description: 'Lịch sử, cũ trước mới sau', schema: historyResponse } },
      handler: async (req, res) => {
        const org = await getOrgInScope(principalOf(req), String(req.params.id));
        const items = ((org as unknown as { history?: Record<string, unknown>[] }).history ?? []).map(
          ({ operationId: _op, ...entry }) => ({
            ...entry,
            at: new Date(entry.at as Date).toISOString(),
          }),
        );
        res.json({ items });
      },
    },
    {
      method: 'get',
      path: '/org-operations/:id',
      tag,
      roles: ['admin'],
      summary: 'Tiến độ một thao tác tổ chức lại',
      schemas: { params: idParams },
      responses: { 200: { description: 'Thao tác', schema: operationResponse } },
      handler: async (req, res) => {
        res.json(operationJSON(await getOperation(principalOf(req), String(req.params.id))));
      },
    },
  ];
}
