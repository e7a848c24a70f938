import type { Request, Response } from 'express';
import type { AppContext } from '../core/context.js';
import { idParams } from '../core/http/common-schemas.js';
import { actorOf, principalOf } from '../core/http/request-context.js';
import type { RouteDef } from '../core/http/route.js';
import { validQuery } from '../core/http/validate.js';
import { getOrgInScope } from '../orgs/index.js';
import { previewReorganisation } from './preview.js';
import { operationJSON } from './operation-json.js';
import type { OperationDoc } from './reorganisation.model.js';
import {
  dissolveBody, historyResponse, mergeBody, moveBody, operationResponse, previewQuery, previewResponse,
} from './reorganisation.schemas.js';
import { getOperation, startDissolve, startMerge, startMove, type StartOptions } from './reorganisation.service.js';

const tag = 'Tổ chức lại';
const ASYNC = {
  name: 'Prefer', required: false,
  description: '`respond-async`: trả lời 202 ngay, theo dõi tiến độ tại Location (GET /org-operations/:id)',
} as const;
const DONE = {
  200: { description: 'Đã thực hiện xong', schema: operationResponse },
  202: { description: 'Đã nhận, đang thực hiện (Prefer: respond-async)', schema: operationResponse },
};

type Starter = (options: StartOptions) => Promise<OperationDoc>;

/** Small trees answer when done; with `Prefer: respond-async` the answer is 202 and the operation runs on. */
async function answer(req: Request, res: Response, ctx: AppContext, begin: Starter) {
  const wait = !/respond-async/i.test(req.get('prefer') ?? '');
  const op = await begin({ wait, stepDelayMs: ctx.config.reorgStepDelayMs, logger: ctx.logger });
  const json = operationJSON(op);
  if (wait) return res.json(json);
  return res.status(202).location(`/api/v1/org-operations/${json.id}`).json(json);
}

export function reorganisationRoutes(ctx: AppContext): RouteDef[] {
  return [
    {
      method: 'post', path: '/orgs/:id/move', tag, roles: ['admin'], headers: [ASYNC],
      summary: 'Chuyển một tổ chức (cùng cả cây con) sang tổ chức cấp trên khác',
      description: 'Đoàn viên, hồ sơ, khoản chi, danh sách, tổng báo cáo và người dùng của cây con theo sang cấp trên mới; '
        + 'quyết định đã ban hành, lịch sử hồ sơ và nhật ký giữ nguyên tên của thời điểm đó. Đang có thao tác khác trong cùng tỉnh: 409 CONFLICT.',
      schemas: { params: idParams, body: moveBody },
      responses: DONE,
      handler: (req, res) => answer(req, res, ctx, (o) => startMove(principalOf(req), actorOf(req), String(req.params.id), req.body, o)),
    },
    {
      method: 'post', path: '/orgs/:id/dissolve', tag, roles: ['admin'], headers: [ASYNC],
      summary: 'Giải thể một tổ chức (chuyển cho tổ chức kế thừa, hoặc chấm dứt tư cách đoàn viên)',
      schemas: { params: idParams, body: dissolveBody },
      responses: DONE,
      handler: (req, res) => answer(req, res, ctx, (o) => startDissolve(principalOf(req), actorOf(req), String(req.params.id), req.body, o)),
    },
    {
      method: 'post', path: '/orgs/:id/merge', tag, roles: ['admin'], headers: [ASYNC],
      summary: 'Sáp nhập các tỉnh vào tỉnh này (quản trị viên Tổng Liên đoàn)',
      schemas: { params: idParams, body: mergeBody },
      responses: DONE,
      handler: (req, res) => answer(req, res, ctx, (o) => startMerge(principalOf(req), actorOf(req), String(req.params.id), req.body, o)),
    },
    {
      method: 'get', path: '/orgs/:id/reorganisation-preview', tag, roles: ['admin'],
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
      method: 'get', path: '/orgs/:id/history', tag,
      summary: 'Lịch sử của tổ chức (thành lập, đổi tên, chuyển, giải thể, sáp nhập)',
      schemas: { params: idParams },
      responses: { 200: { description: 'Lịch sử, cũ trước mới sau', schema: historyResponse } },
      handler: async (req, res) => {
        const org = await getOrgInScope(principalOf(req), String(req.params.id));
        const items = ((org as unknown as { history?: Record<string, unknown>[] }).history ?? []).map(({ operationId: _op, ...entry }) => ({
          ...entry, at: new Date(entry.at as Date).toISOString(),
        }));
        res.json({ items });
      },
    },
    {
      method: 'get', path: '/org-operations/:id', tag, roles: ['admin'],
      summary: 'Tiến độ một thao tác tổ chức lại',
      schemas: { params: idParams },
      responses: { 200: { description: 'Thao tác', schema: operationResponse } },
      handler: async (req, res) => {
        res.json(operationJSON(await getOperation(principalOf(req), String(req.params.id))));
      },
    },
  ];
}
