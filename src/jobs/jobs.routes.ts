import type { AppContext } from '../core/context.js';
import { idParams, pageSchema } from '../core/http/common-schemas.js';
import { principalOf } from '../core/http/request-context.js';
import type { RouteDef } from '../core/http/route.js';
import { validQuery } from '../core/http/validate.js';
import { jobResponse, listJobsQuery } from './jobs.schemas.js';
import { cancelJob, getJob, jobJSON, jobWithResult, listJobs } from './jobs.service.js';

const tag = 'Công việc dài';

export function jobRoutes(_ctx: AppContext): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/jobs',
      tag,
      summary: 'Các công việc dài của người gọi (quản trị viên: của cả phạm vi), mới nhất trước',
      description:
        'Trang trình duyệt dùng để tìm lại công việc đang chạy của một danh sách (`batchId`) khi người dùng quay lại trang.',
      schemas: { query: listJobsQuery },
      responses: { 200: { description: 'Một trang công việc (không kèm `result`)', schema: pageSchema(jobResponse) } },
      handler: async (req, res) => {
        res.json(await listJobs(principalOf(req), validQuery<Parameters<typeof listJobs>[1]>(res)));
      },
    },
    {
      method: 'get',
      path: '/jobs/:id',
      tag,
      summary: 'Xem một công việc dài: trạng thái, tiến độ {done, total}, kết quả khi xong',
      description:
        'Trạng thái `queued` → `running` → `succeeded` | `failed` | `cancelled`. `result` là câu trả lời mà lời gọi đồng bộ sẽ trả. ' +
        'Ngoài phạm vi (không phải người tạo, không phải quản trị viên cấp trên): 404.',
      schemas: { params: idParams },
      responses: { 200: { description: 'Công việc', schema: jobResponse } },
      handler: async (req, res) => {
        res.json(await jobWithResult(await getJob(principalOf(req), String(req.params.id))));
      },
    },
    {
      method: 'post',
      path: '/jobs/:id/cancel',
      tag,
      summary: 'Hủy một công việc dài (chỉ người tạo): dừng giữa hai hồ sơ, những gì đã làm được giữ và báo lại',
      description:
        'Công việc đang chờ: hủy ngay. Đang chạy: `cancelRequested` = true, công việc dừng sau các hồ sơ đang xử lý và kết thúc `cancelled` ' +
        'với kết quả của những hồ sơ đã làm. Đã kết thúc: 409 `INVALID_TRANSITION`.',
      schemas: { params: idParams },
      responses: {
        200: { description: 'Công việc sau yêu cầu hủy', schema: jobResponse },
        403: { description: 'Quản trị viên trong phạm vi nhưng không phải người tạo công việc (`FORBIDDEN`)' },
      },
      handler: async (req, res) => {
        res.json(jobJSON(await cancelJob(principalOf(req), String(req.params.id))));
      },
    },
  ];
}
