import Joi from 'joi';
import type { AppContext } from '../core/context.js';
import { ConflictError, ForbiddenError } from '../core/errors.js';
import { principalOf } from '../core/http/request-context.js';
import type { RouteDef } from '../core/http/route.js';
import { acceptedResponse, answerWithJob, jobsRepository } from '../jobs/index.js';
import { REBUILD_JOB, rebuildInProgress, registerRebuildJob } from './rebuild-job.js';

/** `POST /reports/rebuild`: the report figures made again from the cases and payments, while the service serves. */
export function rebuildRoutes(ctx: AppContext): RouteDef[] {
  registerRebuildJob({
    drainMs: ctx.config.jobs.reportDrainMs,
    chunk: ctx.config.jobs.reportChunk,
    chunkDelayMs: ctx.config.jobs.itemDelayMs,
  });
  return [
    {
      method: 'post',
      path: '/reports/rebuild',
      tag: 'Quản trị',
      roles: ['admin'],
      summary: 'Tính lại tổng báo cáo từ hồ sơ và khoản chi (công việc chạy nền, dịch vụ vẫn phục vụ)',
      description: [
        'Chỉ quản trị viên cấp Tổng Liên đoàn (tổng báo cáo là một cho cả cơ sở dữ liệu); cấp khác: 403. Luôn trả `202 Accepted`, ' +
          'header `Location: /api/v1/jobs/:id` và công việc loại `reports.rebuild`; `progress` đếm hồ sơ đã nộp và khoản chi đã ghi nhận đã đọc.',
        'Tổng mới được dựng bên cạnh tổng đang dùng; trong lúc đó báo cáo vẫn đọc tổng cũ, và mọi thao tác trên hồ sơ và khoản chi vẫn được ' +
          'cộng vào cả hai, mỗi thay đổi đúng một lần. Khi dựng xong, mọi báo cáo chuyển sang tổng mới cùng một lúc. Hủy được trước lúc chuyển ' +
          '(không gì thay đổi với người đọc). Máy chủ dừng giữa chừng: lần chạy sau dựng lại từ đầu nếu chưa chuyển, làm nốt nếu đã chuyển.',
        'Đang có một lần tính lại khác, hoặc một thao tác tổ chức lại chưa xong: 409 `CONFLICT` (tổ chức lại cũng trả 409 khi đang tính lại).',
        '`result`: `{generation, cases, entries, buckets, cancelled}`.',
        'Dịch vụ cũng tự xếp một công việc `reports.rebuild` (nhân danh quản trị viên cấp Tổng Liên đoàn) khi một phần của danh sách bị ' +
          'dừng giữa lúc cộng tổng báo cáo (máy chủ dừng đột ngột, hoặc một lần ghi lỗi) và công việc của danh sách đã kết thúc: ' +
          '`input.repairOf` nêu các phần đó (tối đa 20), `input.chunks` số phần. Trong lúc một công việc như vậy chờ hoặc chạy, yêu cầu này trả 409.',
      ].join('\n\n'),
      schemas: { body: Joi.object({}) },
      responses: { 202: acceptedResponse },
      handler: async (req, res) => {
        if (principalOf(req).orgPath.length !== 1)
          throw new ForbiddenError('Chỉ quản trị viên cấp Tổng Liên đoàn được tính lại tổng báo cáo.');
        if ((await rebuildInProgress()) || (await jobsRepository.anyActive(REBUILD_JOB)))
          throw new ConflictError('CONFLICT', 'Đang có một lần tính lại tổng báo cáo khác chạy.');
        if (await jobsRepository.anyActive('org.'))
          throw new ConflictError(
            'CONFLICT',
            'Đang có thao tác tổ chức lại chưa xong; hãy tính lại tổng báo cáo sau khi thao tác đó kết thúc.',
          );
        // Always a job answered 202: the size stands above any sync limit.
        await answerWithJob(
          ctx,
          req,
          res,
          { kind: REBUILD_JOB, input: {}, itemKeys: ['rebuild'], size: Number.MAX_SAFE_INTEGER },
          202,
        );
      },
    },
  ];
}
