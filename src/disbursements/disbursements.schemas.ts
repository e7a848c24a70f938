import Joi from 'joi';
import { isoDate, isoDateTime, listQuery, objectId, pageSchema } from '../core/http/common-schemas.js';
import { LISTED_STATUSES, METHODS } from './disbursements.model.js';

// Letters (Vietnamese included) and digits, then also space . / _ -; written without `\p{…}` so the OpenAPI
// document carries the same pattern in a form every regular-expression engine reads (Python's too).
const voucherNo = Joi.string()
  .trim()
  .min(1)
  .max(40)
  .pattern(/^[0-9A-Za-zÀ-ʯḀ-ỹ][0-9A-Za-zÀ-ʯḀ-ỹ ./_-]*$/, 'số chứng từ');

export const createDisbursementBody = Joi.object({
  amount: Joi.number()
    .integer()
    .min(1)
    .max(10_000_000_000)
    .required()
    .description('Số tiền chi, VND; không vượt phần chưa chi của đợt và của nguồn'),
  trancheNo: Joi.number()
    .integer()
    .min(1)
    .max(10)
    .required()
    .description('Đợt chi theo quy định của chương trình (1, 2, …)'),
  method: Joi.string()
    .valid(...METHODS)
    .required()
    .description('cash (tiền mặt) hoặc bank_transfer (chuyển khoản)'),
  paidAt: isoDate
    .required()
    .description('Ngày chi (YYYY-MM-DD, giờ Việt Nam); không sau hôm nay, không trước ngày phê duyệt'),
  voucherNo: voucherNo.required().description('Số phiếu chi / chứng từ'),
  fundId: objectId.required().description('Nguồn kinh phí đã cam kết cho hồ sơ khi phê duyệt'),
  note: Joi.string().trim().max(2000).allow(''),
});

export const reverseBody = Joi.object({
  reason: Joi.string().trim().min(5).max(2000).required().description('Lý do hủy (bắt buộc)'),
  voucherNo: voucherNo.description('Số chứng từ của bút toán hủy; mặc định số phiếu chi gốc'),
});

export const caseParams = Joi.object({ id: objectId.required() });
export const receiptParams = Joi.object({ id: objectId.required(), receiptId: Joi.string().guid().required() });

const filters = {
  caseId: objectId,
  fundId: objectId,
  orgId: objectId.description('Chỉ khoản chi của hồ sơ thuộc cây con của tổ chức này'),
  from: isoDate.description('Ngày chi từ (YYYY-MM-DD)'),
  to: isoDate.description('Ngày chi đến hết ngày (YYYY-MM-DD)'),
};

export const listDisbursementsQuery = listQuery(
  ['paidAt', 'createdAt', 'amount', 'voucherNo'],
  {
    ...filters,
    method: Joi.string().valid(...METHODS),
    status: Joi.string()
      .valid(...LISTED_STATUSES)
      .description('paid (đang hiệu lực), reversed (đã bị hủy), reversal (bút toán hủy)'),
    kind: Joi.string().valid('payment', 'reversal'),
    voucherNo,
  },
  '-paidAt',
);

export const transferListQuery = Joi.object({
  format: Joi.string().valid('csv', 'xlsx').default('csv').description('csv (UTF-8 có BOM) hoặc xlsx'),
  ...filters,
  voucherNo: voucherNo.description(
    'Chỉ các khoản chi của một số phiếu chi (ví dụ cả danh sách đã chi bằng POST /batches/:id/pay)',
  ),
});

/** POST /batches/:id/pay: one voucher for the whole list; each case's tranche and amount are the server's plan. */
export const listPaymentBody = Joi.object({
  method: Joi.string()
    .valid(...METHODS)
    .required()
    .description('cash (tiền mặt) hoặc bank_transfer (chuyển khoản)'),
  paidAt: isoDate.required().description('Ngày chi (YYYY-MM-DD, giờ Việt Nam)'),
  voucherNo: voucherNo.required().description('Một số phiếu chi / chứng từ cho cả danh sách'),
  fundId: objectId.description(
    'Chỉ chi từ nguồn này; mặc định nguồn đầu tiên còn phần cam kết chưa chi của từng hồ sơ',
  ),
  note: Joi.string().trim().max(2000).allow(''),
});

const person = Joi.object({ id: Joi.string(), name: Joi.string() });

export const listPaymentPlanQuery = Joi.object({
  fundId: objectId.description('Chỉ chi từ nguồn này (như `fundId` khi gửi)'),
});

/** GET /batches/:id/payment-plan: each case as POST /batches/:id/pay would now treat it. */
export const listPaymentPlanResponse = Joi.object({
  batchId: objectId,
  fileName: Joi.string().description('Tên tệp của danh sách (để trang xem trước không phải đọc cả danh sách lần nữa)'),
  rows: Joi.array().items(
    Joi.object({
      caseId: objectId,
      code: Joi.string(),
      memberName: Joi.string(),
      kind: Joi.string().valid('pay', 'skip').description('pay: sẽ chi; skip: bỏ qua, kèm lý do'),
      trancheNo: Joi.number().integer().allow(null),
      trancheLabel: Joi.string().allow(null),
      amount: Joi.number().integer().allow(null),
      fundId: objectId.allow(null),
      fundCode: Joi.string().allow(null),
      reason: Joi.string().allow(null),
    }),
  ),
  counts: Joi.object({ pay: Joi.number().integer(), skip: Joi.number().integer() }),
  totalAmount: Joi.number().integer(),
});

export const disbursementResponse = Joi.object({
  id: objectId,
  kind: Joi.string().valid('payment', 'reversal'),
  status: Joi.string().valid(...LISTED_STATUSES),
  caseId: objectId,
  caseCode: Joi.string(),
  programCode: Joi.string(),
  memberId: objectId,
  memberName: Joi.string(),
  orgId: objectId,
  orgPath: Joi.array().items(objectId),
  fundId: objectId,
  fundCode: Joi.string(),
  trancheNo: Joi.number().integer(),
  trancheLabel: Joi.string(),
  amount: Joi.number().integer().description('VND; âm với bút toán hủy'),
  method: Joi.string().valid(...METHODS),
  paidAt: Joi.string(),
  paidMonth: Joi.string()
    .pattern(/^\d{4}-(0[1-9]|1[0-2])$/)
    .allow(null)
    .description('Tháng chi theo giờ Việt Nam, YYYY-MM (khóa của báo cáo)'),
  subtype: Joi.string().allow(null).description('Loại hỗ trợ của hồ sơ (khóa của báo cáo)'),
  campaignId: objectId.allow(null).description('Đợt hỗ trợ của hồ sơ (khóa của báo cáo)'),
  voucherNo: Joi.string(),
  note: Joi.string().allow(''),
  transferNote: Joi.string().description(
    'Nội dung chuyển khoản không dấu, ví dụ "MAC-2026-000123 Ho tro Mai am Cong doan"',
  ),
  payee: Joi.object({
    fullName: Joi.string(),
    bankBin: Joi.string(),
    bankName: Joi.string()
      .allow(null)
      .description('Tên ngân hàng theo mã BIN (danh sách ngân hàng VietQR); null nếu không có trong danh sách'),
    accountNo: Joi.string(),
    accountName: Joi.string(),
  })
    .allow(null)
    .description('Tài khoản người nhận (danh sách: số tài khoản che ********1234)'),
  reverses: objectId.allow(null),
  reason: Joi.string().allow(null),
  reversedBy: Joi.object({ id: objectId, reason: Joi.string(), by: person, at: isoDateTime }).allow(null),
  receipts: Joi.array().items(
    Joi.object({
      id: Joi.string(),
      originalName: Joi.string(),
      mimeType: Joi.string(),
      size: Joi.number(),
      sha256: Joi.string(),
      uploadedBy: person,
      uploadedAt: isoDateTime,
    }),
  ),
  createdBy: person,
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

export const disbursementPage = pageSchema(disbursementResponse);

export const vietQrResponse = Joi.object({
  payload: Joi.string().description('Chuỗi VietQR (EMVCo) để quét bằng ứng dụng ngân hàng'),
  bankBin: Joi.string(),
  bankName: Joi.string().allow(null),
  accountNo: Joi.string(),
  accountName: Joi.string(),
  amount: Joi.number().integer(),
  purpose: Joi.string().description('Nội dung trong mã QR (tối đa 25 ký tự)'),
  transferNote: Joi.string(),
});

export const casePaymentsResponse = Joi.object({
  caseId: objectId,
  code: Joi.string(),
  status: Joi.string(),
  approvedAmount: Joi.number().integer().allow(null),
  disbursedAmount: Joi.number().integer(),
  remainingAmount: Joi.number().integer(),
  tranches: Joi.array().items(
    Joi.object({
      no: Joi.number().integer(),
      label: Joi.string(),
      percent: Joi.number(),
      amount: Joi.number().integer(),
      paid: Joi.number().integer(),
      remaining: Joi.number().integer(),
      requiresDocuments: Joi.array().items(Joi.string()),
    }),
  ),
  fundAllocations: Joi.array().items(
    Joi.object({
      fundId: objectId,
      fundCode: Joi.string(),
      fundName: Joi.string(),
      amount: Joi.number().integer(),
      paid: Joi.number().integer(),
    }),
  ),
  items: Joi.array().items(disbursementResponse),
});

/** POST /batches/:id/pay, and the `result` of its job: every case of the list, the counts, the total, the transfer list. */
export const listPaymentResponse = Joi.object({
  batchId: objectId,
  voucherNo: Joi.string(),
  method: Joi.string().valid(...METHODS),
  paidAt: Joi.string(),
  counts: Joi.object({ paid: Joi.number().integer(), failed: Joi.number().integer(), skipped: Joi.number().integer() }),
  totalAmount: Joi.number().integer(),
  results: Joi.array().items(
    Joi.object({
      caseId: Joi.string(),
      code: Joi.string().allow(''),
      memberName: Joi.string().allow(''),
      outcome: Joi.string().valid('paid', 'failed', 'skipped'),
      payment: Joi.object({
        id: objectId,
        amount: Joi.number().integer(),
        trancheNo: Joi.number().integer(),
        fundCode: Joi.string(),
        status: Joi.string(),
        vietQr: Joi.string().allow(null).description('Chuỗi VietQR khi chuyển khoản'),
      })
        .optional()
        .description('Khoản chi đã làm'),
      problem: Joi.object({ code: Joi.string(), detail: Joi.string() })
        .optional()
        .description('Hồ sơ không chi được: mã lỗi và lý do'),
      reason: Joi.string().optional().description('Hồ sơ bỏ qua: lý do'),
    }),
  ),
  transferList: Joi.object({ csv: Joi.string(), xlsx: Joi.string() })
    .allow(null)
    .description(
      'Đường dẫn tải danh sách chuyển khoản cho ngân hàng; null khi chi tiền mặt hoặc không chi được hồ sơ nào',
    ),
});
