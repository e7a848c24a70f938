import Joi from 'joi';
import { isoDateTime, listQuery, objectId, pageSchema } from '../core/http/common-schemas.js';
import { caseStatusesQuery, signerFields } from '../cases/index.js';
import type { BatchActionName } from './actions.service.js';

const code = Joi.string().pattern(/^[a-z][a-z0-9_]{0,39}$/);
const amount = Joi.number().integer().min(1).max(10_000_000_000);
const reason = Joi.string().trim().min(5).max(2000);
const note = Joi.string().trim().max(2000).allow('');

export const templateQuery = Joi.object({
  programCode: code.required().description('Chương trình, ví dụ tet_gift, disaster_relief'),
  format: Joi.string().valid('xlsx', 'csv').default('xlsx').description('xlsx (mặc định) hoặc csv (UTF-8 có BOM)'),
});

export const importBody = Joi.object({
  programCode: code.required().description('Chương trình của danh sách'),
  campaignId: objectId.description('Đợt hỗ trợ (bắt buộc với tet_gift, disaster_relief)'),
  subtype: code.description('Loại hỗ trợ / mức thiệt hại; bỏ trống khi chương trình chỉ có một loại'),
});

export const listBatchesQuery = listQuery(
  ['createdAt', 'createdCount'],
  {
    orgId: objectId,
    programCode: code,
    campaignId: objectId,
    caseStatus: caseStatusesQuery.description(
      'Chỉ danh sách còn hồ sơ ở một trong các trạng thái này (ví dụ approved,partially_disbursed: còn hồ sơ chờ chi)',
    ),
  },
  '-createdAt',
);

const exclude = Joi.array()
  .items(
    Joi.object({
      caseId: objectId.required(),
      reason: reason.required().description('Lý do không đưa hồ sơ này vào thao tác'),
    }),
  )
  .max(5000)
  .unique('caseId')
  .description('Hồ sơ của danh sách không thực hiện lần này, mỗi hồ sơ kèm lý do');

const amounts = (what: string) =>
  Joi.array()
    .items(Joi.object({ caseId: objectId.required(), amount: amount.required() }))
    .max(5000)
    .unique('caseId')
    .description(`${what} riêng cho từng hồ sơ (ghi đè quy tắc chung)`);

/** The body of each batch action: the single-case body's fields, said once for the whole list. */
export const actionBodies: Readonly<Record<BatchActionName, Joi.ObjectSchema>> = {
  submit: Joi.object({ exclude, note }),
  verify: Joi.object({
    exclude,
    note,
    amounts: amounts('Số tiền đề nghị'),
    recommendedAmount: amount.description(
      'Số tiền đề nghị chung cho mọi hồ sơ; mặc định: số tiền đề nghị của từng hồ sơ',
    ),
  }),
  return: Joi.object({ exclude, reason: reason.required() }),
  reject: Joi.object({ exclude, reason: reason.required() }),
  approve: Joi.object({
    exclude,
    note,
    amounts: amounts('Số tiền phê duyệt'),
    amountReason: reason.description('Bắt buộc khi số tiền phê duyệt của hồ sơ lớn hơn số tiền đề nghị'),
    fundId: objectId.description('Chi toàn bộ từ một nguồn kinh phí'),
    fundShares: Joi.array()
      .items(Joi.object({ fundId: objectId.required(), percent: Joi.number().integer().min(1).max(100).required() }))
      .min(1)
      .max(10)
      .unique('fundId')
      .custom((shares: { percent: number }[], helpers) =>
        shares.reduce((s, x) => s + x.percent, 0) === 100 ? shares : helpers.error('any.invalid'),
      )
      .messages({ 'any.invalid': 'Tổng tỷ lệ các nguồn phải bằng 100' })
      .description(
        'Chia mỗi hồ sơ theo tỷ lệ phần trăm giữa các nguồn (tổng 100; làm tròn xuống, nguồn cuối nhận phần còn lại)',
      ),
    ...signerFields,
  }).xor('fundId', 'fundShares'),
};

const problem = Joi.object({ code: Joi.string(), detail: Joi.string() });
export const actionResponse = Joi.object({
  batchId: Joi.string(),
  action: Joi.string(),
  counts: Joi.object({ ok: Joi.number(), failed: Joi.number(), excluded: Joi.number(), skipped: Joi.number() }),
  results: Joi.array().items(
    Joi.object({
      caseId: Joi.string(),
      code: Joi.string(),
      memberName: Joi.string(),
      outcome: Joi.string().valid('ok', 'failed', 'excluded', 'skipped'),
      status: Joi.string(),
      problem: problem.optional().description('Hồ sơ không làm được: mã lỗi và lý do'),
      reason: Joi.string().optional().description('Hồ sơ bị loại ra: lý do'),
    }),
  ),
  decision: Joi.object({
    id: Joi.string(),
    number: Joi.string(),
    issuedAt: Joi.string(),
    caseCount: Joi.number(),
    totalAmount: Joi.number(),
  }).allow(null),
  decisionProblem: problem.optional().description('Phê duyệt mà không ban hành được quyết định: vì sao'),
});

export const rejectedRow = Joi.object({
  row: Joi.number(),
  citizenId: Joi.string().allow(''),
  fullName: Joi.string().allow(''),
  reasons: Joi.array().items(Joi.string()),
});
const person = Joi.object({ id: Joi.string(), name: Joi.string() });
const count = Joi.number().integer();

/** A list's own fields, without its long parts (the cases, rejected rows and actions). */
export const batchResponse = Joi.object({
  id: objectId,
  orgId: objectId,
  orgPath: Joi.array().items(objectId),
  programCode: Joi.string(),
  subtype: Joi.string(),
  campaignId: objectId.allow(null),
  fileName: Joi.string(),
  fileFormat: Joi.string().valid('csv', 'xlsx'),
  fileSha256: Joi.string(),
  status: Joi.string()
    .valid('importing', 'imported', 'incomplete')
    .description(
      '`importing`: đang nhập. `imported`: đã nhập hết tệp. `incomplete`: việc nhập dừng giữa chừng vì lỗi (`importError`) sau khi ' +
        'đã tạo một số hồ sơ: các hồ sơ đó là hồ sơ nháp của danh sách như mọi danh sách; tải lại đúng tệp này ' +
        '(cùng chương trình, đợt, loại hỗ trợ) để nhập tiếp, các dòng đã thành hồ sơ không bị tạo lại.',
    ),
  importError: Joi.object({ code: Joi.string(), detail: Joi.string() })
    .allow(null)
    .description('Vì sao việc nhập dừng (danh sách `incomplete`): `code` và `detail` của công việc thất bại'),
  rowsRead: count.description('Số dòng dữ liệu đã đọc và kiểm tra trước khi việc nhập dừng (danh sách `incomplete`)'),
  rowCount: count,
  createdCount: count,
  rejectedCount: count,
  createdBy: person,
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

const statusCounts = Joi.object()
  .pattern(Joi.string(), count)
  .description('Số hồ sơ của danh sách theo từng trạng thái hiện tại');

export const batchPage = pageSchema(batchResponse.keys({ statusCounts }));

/** A case as a list shows it. */
const batchCase = Joi.object({
  id: objectId,
  code: Joi.string(),
  memberId: objectId,
  memberName: Joi.string(),
  citizenIdMasked: Joi.string().allow(''),
  status: Joi.string(),
  revision: count,
  requestedAmount: count,
  recommendedAmount: count.allow(null),
  approvedAmount: count.allow(null),
  disbursedAmount: count,
  decisionId: objectId.allow(null),
});

export const batchDetailQuery = Joi.object({
  cases: Joi.string()
    .valid('all', 'none')
    .default('all')
    .description(
      '`none`: không kèm các hồ sơ (`cases` rỗng), chỉ số lượng và tổng tiền; đọc hồ sơ từng trang ở GET /batches/:id/cases',
    ),
});

export const batchCasesQuery = Joi.object({
  page: Joi.number().integer().min(1).max(100000).default(1).description('Trang, bắt đầu từ 1'),
  limit: Joi.number().integer().min(1).max(200).default(50).description('Số hồ sơ mỗi trang (tối đa 200)'),
});

export const batchCasesPage = pageSchema(batchCase);

export const batchDetail = batchResponse.keys({
  verifierOrgId: objectId
    .allow(null)
    .description('Công đoàn cấp trên trực tiếp của công đoàn lập danh sách: tổ chức thẩm định các hồ sơ'),
  rejectedRows: Joi.array().items(rejectedRow),
  actions: Joi.array().items(
    Joi.object({
      action: Joi.string(),
      by: person,
      at: isoDateTime,
      ok: count,
      failed: count,
      excluded: count,
      skipped: count.description('Hồ sơ không ở bước của thao tác, để nguyên (0 ở các thao tác ghi trước khi đếm)'),
      decisionId: objectId.allow(null),
    }),
  ),
  statusCounts,
  totals: Joi.object({ requested: count, approved: count, disbursed: count }),
  caseCount: count.description('Số hồ sơ của danh sách'),
  byStatus: Joi.object()
    .pattern(
      Joi.string(),
      Joi.object({
        count,
        requestedAmount: count,
        proposedAmount: count.description(
          'Tổng số tiền phê duyệt mặc định của các hồ sơ: số tiền thẩm định đề xuất, nếu chưa có thì số tiền đề nghị',
        ),
        approvedAmount: count,
        disbursedAmount: count,
      }),
    )
    .description('Số hồ sơ và số tiền theo từng trạng thái hiện tại'),
  cases: Joi.array()
    .items(batchCase)
    .description('Mọi hồ sơ theo thứ tự trong tệp; rỗng khi gọi với `cases=none` (xem GET /batches/:id/cases)'),
});

export const importResponse = Joi.object({
  batch: batchResponse,
  counts: Joi.object({ rows: Joi.number(), created: Joi.number(), rejected: Joi.number() }),
  caseIds: Joi.array().items(Joi.string()),
  rejectedRows: Joi.array().items(rejectedRow),
});
