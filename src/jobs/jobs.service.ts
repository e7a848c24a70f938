import type { Request, Response } from 'express';
import { Types } from 'mongoose';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
import type { AppContext } from '../core/context.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../core/errors.js';
import { actorOf, principalOf } from '../core/http/request-context.js';
import { hasRole, type Principal } from '../core/scope.js';
import { jobKind } from './job-kinds.js';
import { jobsRepository, type JobRecord, type JobView, type NewJob } from './jobs.repository.js';
import { jobResponse } from './jobs.schemas.js';
import { resultStore } from './result-store.js';
import { runJob, wakeRunners, type RunnerSettings } from './runner.js';

export function runnerSettings({ config, logger }: AppContext): RunnerSettings {
  const { leaseMs, pollMs, itemDelayMs, resultInlineBytes, chunk, retryMs } = config.jobs;
  return { leaseMs, pollMs, itemDelayMs, resultInlineBytes, chunk, retryMs, logger };
}

/** The job's result wherever it is kept: in the job, or in GridFS when it was too long for it (result-store.ts). */
export async function resultOf(job: JobView): Promise<unknown> {
  return job.resultFile ? resultStore.read(job.resultFile) : (job.result ?? null);
}

/** The job as `GET /jobs/:id` answers it, with its result read from GridFS if it is kept there. */
export async function jobWithResult(job: JobView) {
  return { ...jobJSON(job), result: await resultOf(job) };
}

/** The job as the API shows it (SPEC §14). */
export function jobJSON(job: JobView) {
  return {
    id: String(job._id),
    kind: job.kind,
    status: job.status,
    progress: { done: job.progress?.done ?? 0, total: job.progress?.total ?? 0 },
    createdBy: job.createdBy,
    createdAt: job.createdAt,
    startedAt: job.startedAt ?? null,
    finishedAt: job.finishedAt ?? null,
    cancelRequested: Boolean(job.cancelRequested),
    input: job.input ?? {},
    result: job.result ?? null,
    error: job.error ?? null,
  };
}

/** Whoever started a job sees it; an admin also sees the jobs started in their subtree. Others get 404. */
function canSee(principal: Principal, job: JobView): boolean {
  if (job.createdBy.id === principal.userId) return true;
  return hasRole(principal, 'admin') && job.orgPath.map(String).includes(principal.orgId);
}

export async function getJob(principal: Principal, id: string): Promise<JobView> {
  const job = await jobsRepository.findView(id);
  if (!job || !canSee(principal, job)) throw new NotFoundError('công việc');
  return job;
}

export async function listJobs(
  principal: Principal,
  query: { page: number; limit: number; kind?: string; status?: string; batchId?: string },
) {
  const own = hasRole(principal, 'admin') ? { subtreeOf: principal.orgId } : { createdById: principal.userId };
  const { items, total } = await jobsRepository.list(
    { ...own, kind: query.kind, status: query.status, batchId: query.batchId },
    query.page,
    query.limit,
  );
  return { items: items.map(jobJSON), total, page: query.page, limit: query.limit };
}

/** Only the starter cancels (an admin who only sees it gets 403); what was done stays done. */
export async function cancelJob(principal: Principal, id: string): Promise<JobView> {
  const job = await getJob(principal, id);
  if (job.createdBy.id !== principal.userId) throw new ForbiddenError('Chỉ người tạo công việc mới được hủy nó.');
  if (jobsRepository.isFinal(job.status)) {
    throw new ConflictError('INVALID_TRANSITION', 'Công việc đã kết thúc, không thể hủy.', { jobStatus: job.status });
  }
  if (jobKind(job.kind)?.cancellable === false) {
    throw new ConflictError('INVALID_TRANSITION', 'Công việc này không thể dừng giữa chừng; nó sẽ chạy đến khi xong.', {
      jobStatus: job.status,
    });
  }
  await jobsRepository.requestCancel(job._id);
  return (await jobsRepository.findView(job._id))!;
}

/** Said of every list endpoint that may answer with a job (SPEC §14). */
export function asyncNote(limit: number): string {
  return (
    `Tối đa ${limit} hồ sơ (JOB_SYNC_LIMIT) và không có header \`Prefer: respond-async\`: chạy ngay và trả kết quả như trên. ` +
    'Nhiều hơn, hoặc có `Prefer: respond-async`: trả `202 Accepted` với header `Location: /api/v1/jobs/:id` và công việc; ' +
    'theo dõi tiến độ bằng `GET /api/v1/jobs/:id`, `result` của công việc là câu trả lời đồng bộ. Việc được làm như một công việc trong cơ sở dữ liệu: ' +
    'máy chủ dừng giữa chừng thì máy chủ khác (hoặc lần khởi động sau) làm tiếp, không hồ sơ nào bị xử lý hai lần. ' +
    'Gặp lỗi ngoài dự kiến (ví dụ cơ sở dữ liệu tạm thời không trả lời), công việc chờ rồi được làm tiếp (JOB_RETRY_MS); ' +
    'yêu cầu đang chạy ngay khi đó trả `202 Accepted` với công việc. Lỗi thứ ba làm công việc dừng với `error`.'
  );
}

export const acceptedResponse = {
  description: 'Đã nhận; công việc chạy nền (xem header `Location`)',
  schema: jobResponse,
};

export interface JobRequest {
  kind: string;
  input: Record<string, unknown>;
  itemKeys: string[];
  /** The request's Idempotency-Key, when the route takes one: the same key answers the same job. */
  idempotencyKey?: string;
  /** What is compared with JOB_SYNC_LIMIT when it is not the number of items (a reorganisation: members and cases). */
  size?: number;
  /** The progress total when the kind reports its own progress (JobContext.reportProgress). */
  total?: number;
}

/** RFC 7240: `Prefer: respond-async` (possibly among other preferences). */
export function prefersAsync(req: Request): boolean {
  return (req.get('prefer') ?? '').split(',').some(
    (p) =>
      p
        .trim()
        .split(/[;=\s]/)[0]
        ?.toLowerCase() === 'respond-async',
  );
}

function answerAccepted(res: Response, job: JobView): void {
  res
    .status(202)
    .location(`/api/v1/jobs/${String(job._id)}`)
    .json(jobJSON(job));
}

/**
 * A list endpoint's answer (SPEC §14): the work is always a job, so that it survives the instance; up to the
 * sync limit, and unless the client prefers to be answered at once, the request runs it itself and answers
 * its result as before (`syncStatus`), otherwise 202 with `Location` and the job, which a runner takes up.
 */
export async function answerWithJob(
  ctx: AppContext,
  req: Request,
  res: Response,
  request: JobRequest,
  syncStatus: number,
): Promise<void> {
  const principal = principalOf(req);
  const actor = actorOf(req);
  const async = prefersAsync(req) || (request.size ?? request.itemKeys.length) > ctx.config.jobs.syncLimit;
  const requestKey = request.idempotencyKey
    ? `${principal.userId}:${request.kind}:${request.idempotencyKey}`
    : undefined;
  if (requestKey) {
    const earlier = await jobsRepository.findByRequestKey(requestKey);
    if (earlier) return answerEarlier(res, earlier, request, syncStatus);
  }
  const settings = runnerSettings(ctx);
  const job: NewJob = {
    kind: request.kind,
    createdBy: { id: actor.userId, name: actor.name },
    orgPath: principal.orgPath.map((id) => new Types.ObjectId(id)),
    input: request.input,
    itemKeys: request.itemKeys,
    ...(requestKey ? { requestKey } : {}),
    ...(request.total === undefined ? {} : { total: request.total }),
  };
  let inserted;
  try {
    inserted = await jobsRepository.insert(
      job,
      async ? undefined : { owner: `request:${actor.requestId}`, until: new Date(Date.now() + settings.leaseMs) },
    );
  } catch (error) {
    if (!requestKey || !isDuplicateKeyError(error)) throw error;
    return answerEarlier(res, (await jobsRepository.findByRequestKey(requestKey))!, request, syncStatus);
  }
  if (!inserted.lease) {
    wakeRunners();
    return answerAccepted(res, inserted.job);
  }
  const ran = await runJob(inserted.job, inserted.lease, settings);
  if (ran.error) throw ran.error;
  if (ran.job.status !== 'succeeded') return answerAccepted(res, ran.job);
  res
    .status(syncStatus)
    .location(`/api/v1/jobs/${String(ran.job._id)}`)
    .json(await resultOf(ran.job));
}

/** A repeat of a keyed request: the same job, finished or not; another body under the same key is refused. */
async function answerEarlier(res: Response, job: JobRecord, request: JobRequest, syncStatus: number): Promise<void> {
  if (JSON.stringify(job.input) !== JSON.stringify(request.input)) {
    throw new ConflictError(
      'IDEMPOTENCY_CONFLICT',
      'Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác. Hãy dùng khóa mới.',
    );
  }
  if (job.status === 'succeeded') {
    res
      .status(syncStatus)
      .location(`/api/v1/jobs/${String(job._id)}`)
      .json(await resultOf(job));
    return;
  }
  answerAccepted(res, job);
}
