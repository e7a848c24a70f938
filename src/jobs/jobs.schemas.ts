import Joi from 'joi';
import { listQuery, objectId } from '../core/http/common-schemas.js';
import { JOB_STATUSES } from './jobs.model.js';

export const listJobsQuery = listQuery(
  ['createdAt'],
  {
    kind: Joi.string().max(50).description('Loại công việc, ví dụ `batch.approve`, `batch.pay`'),
    status: Joi.string()
      .valid(...JOB_STATUSES)
      .description('Trạng thái công việc'),
    batchId: objectId.description('Công việc của một danh sách'),
  },
  '-createdAt',
);

export const jobResponse = Joi.object({
  id: Joi.string(),
  kind: Joi.string(),
  status: Joi.string().valid(...JOB_STATUSES),
  progress: Joi.object({ done: Joi.number().integer(), total: Joi.number().integer() }),
  createdBy: Joi.object({ id: Joi.string(), name: Joi.string() }),
  createdAt: Joi.date(),
  startedAt: Joi.date().allow(null),
  finishedAt: Joi.date().allow(null),
  cancelRequested: Joi.boolean(),
  input: Joi.object().unknown(),
  result: Joi.any().description(
    'Khi xong: đúng câu trả lời của lời gọi đồng bộ (kết quả từng hồ sơ, số lượng, quyết định)',
  ),
  error: Joi.object({ code: Joi.string(), detail: Joi.string() }).allow(null),
});
