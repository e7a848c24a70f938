import Joi from 'joi';
import { isoDate, objectId } from '../core/http/common-schemas.js';
import { OPEN_STATUSES } from '../core/shared/report-groups.js';
import { PERIOD_KEY } from './period.js';
import { GROUP_BY } from './summary.js';

export const FORMATS = ['json', 'csv', 'xlsx', 'pdf'] as const;
export type ReportFormat = (typeof FORMATS)[number];

const common = {
  period: Joi.string()
    .pattern(PERIOD_KEY)
    .description('Kỳ: `2026`, `2026-H1`, `2026-Q3`, `2026-08` (giờ Việt Nam); không dùng cùng `from`/`to` (400)')
    .messages({ 'string.pattern.base': 'Kỳ báo cáo phải có dạng 2026, 2026-H1, 2026-Q3 hoặc 2026-08' }),
  from: isoDate.description('Từ ngày (tính cả ngày này, giờ Việt Nam)'),
  to: isoDate.description('Đến ngày (tính cả ngày này)'),
  orgId: objectId.description('Đơn vị báo cáo (mặc định: đơn vị của người dùng); cộng dồn cả cây đơn vị bên dưới'),
  format: Joi.string()
    .valid(...FORMATS)
    .description('json (mặc định), csv, xlsx, pdf; hoặc header Accept'),
};

/** `groupBy=program,org` or `groupBy=program&groupBy=org`: one list of known dimensions, each once. */
const groupBy = Joi.alternatives(Joi.string(), Joi.array().items(Joi.string()))
  .custom((value: string | string[], helpers) => {
    const dims = (Array.isArray(value) ? value : [value])
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean);
    const unknown = dims.find((d) => !(GROUP_BY as readonly string[]).includes(d));
    if (unknown !== undefined)
      return helpers.message({ custom: `Không nhóm được theo "${unknown}"; chọn trong: ${GROUP_BY.join(', ')}` });
    return [...new Set(dims)];
  })
  .description(`Nhóm theo (một hoặc nhiều, phân cách bằng dấu phẩy hoặc lặp lại): ${GROUP_BY.join(', ')}`);

const oneForm = { 'object.oxor': 'Chỉ dùng một trong hai cách: period hoặc from/to' };
export const summaryQuery = Joi.object({ ...common, groupBy })
  .oxor('period', 'from')
  .oxor('period', 'to')
  .messages(oneForm);
export const registerQuery = Joi.object({
  ...common,
  page: Joi.number()
    .integer()
    .min(1)
    .description('Trang của sổ (JSON), cùng `limit`; không có thì trả cả sổ. Tệp CSV, XLSX, PDF luôn là cả sổ'),
  limit: Joi.number()
    .integer()
    .min(1)
    .max(100)
    .description('Số bút toán mỗi trang (tối đa 100); `total` và lũy kế vẫn tính trên cả sổ'),
})
  .oxor('period', 'from')
  .oxor('period', 'to')
  .messages(oneForm);

const counted = Joi.object({ count: Joi.number().integer() });
const money = Joi.object({ count: Joi.number().integer(), amount: Joi.number().integer() });
const figures = Joi.object({
  received: counted,
  approved: money,
  disbursed: money,
  beneficiariesPaid: Joi.number().integer(),
  openAtEnd: Joi.object(Object.fromEntries(OPEN_STATUSES.map((status) => [status, Joi.number().integer()]))),
});
const period = Joi.object({
  key: Joi.string().allow(null),
  from: Joi.string(),
  to: Joi.string(),
  timeZone: Joi.string().valid('Asia/Ho_Chi_Minh'),
});
const org = Joi.object({ id: Joi.string(), name: Joi.string() });

export const summaryResponse = Joi.object({
  period,
  periodLabel: Joi.string(),
  org,
  groupBy: Joi.array().items(Joi.string().valid(...GROUP_BY)),
  source: Joi.string()
    .valid('totals', 'records')
    .description('totals: tổng theo tháng được duy trì; records: tính lại từ hồ sơ (khoảng ngày lẻ)'),
  rows: Joi.array()
    .items(
      figures.keys({
        key: Joi.object(
          Object.fromEntries(GROUP_BY.map((dim) => [dim, Joi.string().allow(null).optional()])),
        ).description('Giá trị của từng chiều nhóm, ví dụ `{ "program": "union_house" }`'),
        labels: Joi.object(Object.fromEntries(GROUP_BY.map((dim) => [dim, Joi.string().optional()]))).description(
          'Tên của từng giá trị nhóm để hiển thị',
        ),
      }),
    )
    .description('Mỗi dòng: `key`, `labels` và các số liệu ngay bên cạnh (SPEC Phụ lục A)'),
  total: figures,
});

export const registerResponse = Joi.object({
  period,
  periodLabel: Joi.string(),
  org,
  lines: Joi.array().items(
    Joi.object({
      no: Joi.number(),
      id: Joi.string(),
      kind: Joi.string().valid('payment', 'reversal'),
      paidAt: Joi.string(),
      voucherNo: Joi.string(),
      caseCode: Joi.string(),
      beneficiary: Joi.string(),
      unionId: Joi.string(),
      union: Joi.string(),
      fundId: Joi.string(),
      fund: Joi.string(),
      amount: Joi.number().integer(),
      runningTotal: Joi.number().integer(),
    }),
  ),
  total: Joi.object({ count: Joi.number().integer(), amount: Joi.number().integer() }),
  page: Joi.number().integer().optional().description('Khi hỏi theo trang'),
  limit: Joi.number().integer().optional().description('Khi hỏi theo trang'),
});
