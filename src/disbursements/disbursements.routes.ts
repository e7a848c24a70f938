import { create as contentDisposition } from 'content-disposition';
import { once as onceEvent } from 'node:events';
import { pipeline } from 'node:stream/promises';
import Joi from 'joi';
import type { AppContext } from '../core/context.js';
import { idParams } from '../core/http/common-schemas.js';
import { actorOf, principalOf } from '../core/http/request-context.js';
import type { RouteDef } from '../core/http/route.js';
import { validQuery } from '../core/http/validate.js';
import type { Role } from '../core/shared/roles.js';
import {
  ACCEPTED_DESCRIPTION,
  ACCEPTED_MIME_TYPES,
  DocumentStore,
  fileResponseHeaders,
  singleFileUpload,
  storedFileResponse,
} from '../documents/index.js';
import { disbursementJSON } from './disbursements.repository.js';
import {
  caseParams,
  casePaymentsResponse,
  createDisbursementBody,
  disbursementPage,
  disbursementResponse,
  listDisbursementsQuery,
  receiptParams,
  reverseBody,
  transferListQuery,
  vietQrResponse,
} from './disbursements.schemas.js';
import {
  casePayments,
  listDisbursements,
  readDisbursement,
  transferList,
  vietQr,
  vietQrImage,
  type DisbursementListQuery,
  type TransferListQuery,
} from './disbursements.service.js';
import { recordDisbursement } from './payments.service.js';
import { addReceipt, findReceipt } from './receipts.service.js';
import { reverseDisbursement } from './reversals.service.js';

const tag = 'Chi trả';
/** Accountants pay and reverse; approvers and administrators read what was paid in their subtree (SPEC §2). */
const PAYERS: readonly Role[] = ['accountant'];
const READERS: readonly Role[] = ['accountant', 'approver', 'admin'];

const idempotencyText =
  'Bắt buộc header `Idempotency-Key` (8–128 ký tự, ví dụ một UUID mới cho mỗi khoản chi); thiếu: 400 `VALIDATION_FAILED`. ' +
  'Cùng khóa và cùng nội dung: trả lại đúng kết quả lần đầu (header `Idempotent-Replayed: true`), chỉ chi một lần; ' +
  'cùng khóa, nội dung khác: 409 `IDEMPOTENCY_CONFLICT`. Khóa giữ 24 giờ. Yêu cầu bị từ chối (4xx) không giữ khóa. ' +
  'Yêu cầu bị cắt ngang giữa chừng (máy chủ dừng đột ngột, lỗi không lường trước) được dịch vụ tự hoàn tất sau ' +
  '`PAYMENT_FINISH_AFTER_MS` (mặc định 5 phút): nếu hồ sơ đã nhận khoản chi, nguồn, sổ chi tiết, tổng báo cáo và nhật ký ' +
  'được ghi đúng một lần và khóa trả lại khoản chi đó; nếu chưa, khoản chi chờ bị xóa và khóa được giải phóng để gửi lại. ' +
  'Trong lúc đó, gửi lại cùng khóa nhận 409 `IDEMPOTENCY_CONFLICT`. Một yêu cầu không dừng mà chỉ chậm quá thời gian ' +
  'đó, khi dịch vụ đã xóa khoản chi chờ của nó, bị từ chối 409 `STALE_REVISION` và không ghi gì; gửi lại cùng khóa ' +
  'thì chi đúng một lần.';

export function disbursementRoutes({ config }: AppContext): RouteDef[] {
  const store = new DocumentStore(config.uploadDir);

  return [
    {
      method: 'post',
      path: '/cases/:id/disbursements',
      tag,
      roles: PAYERS,
      summary: 'Ghi nhận một khoản chi của hồ sơ (một đợt hoặc một phần đợt, từ một nguồn đã cam kết)',
      description: [
        idempotencyText,
        'Số tiền mỗi đợt = tỷ lệ của đợt × số phê duyệt (làm tròn xuống; đợt cuối nhận phần dư). Một đợt có thể chi nhiều lần (ví dụ từ hai nguồn), ' +
          'mỗi lần không vượt phần còn lại của đợt (422 `AMOUNT_EXCEEDS_CAP`) và của phân bổ nguồn (409 `INSUFFICIENT_FUNDS`). ' +
          'Các đợt chi lần lượt (409 `TRANCHE_OUT_OF_ORDER`); đợt đã chi đủ: 409 `TRANCHE_ALREADY_PAID`; thiếu giấy tờ của đợt: 422 `MISSING_DOCUMENTS`.',
        'Hồ sơ chuyển sang `partially_disbursed`, hoặc `disbursed` khi đã chi đủ số phê duyệt. Chứng từ tải lên riêng: `POST /disbursements/{id}/receipts`.',
      ].join('\n\n'),
      schemas: { params: caseParams, body: createDisbursementBody },
      headers: [
        {
          name: 'Idempotency-Key',
          required: true,
          description: 'Khóa do máy khách tạo cho mỗi khoản chi (8–128 ký tự: chữ, số, . _ : -), ví dụ một UUID',
        },
      ],
      responses: { 201: { description: 'Khoản chi đã ghi nhận', schema: disbursementResponse } },
      handler: async (req, res) => {
        const answer = await recordDisbursement(
          principalOf(req),
          actorOf(req),
          String(req.params.id),
          req.body,
          req.get('idempotency-key'),
        );
        if (answer.replayed) res.set('Idempotent-Replayed', 'true');
        res.status(answer.status).json(answer.body);
      },
    },
    {
      method: 'get',
      path: '/cases/:id/disbursements',
      tag,
      roles: READERS,
      summary: 'Các đợt chi, phân bổ nguồn và các khoản chi của một hồ sơ (đã chi, còn lại)',
      schemas: { params: caseParams },
      responses: { 200: { description: 'Tình hình chi trả của hồ sơ', schema: casePaymentsResponse } },
      handler: async (req, res) => {
        res.json(await casePayments(principalOf(req), String(req.params.id)));
      },
    },
    {
      method: 'get',
      path: '/disbursements',
      tag,
      roles: READERS,
      summary: 'Danh sách khoản chi và bút toán hủy trong phạm vi, có lọc và phân trang',
      schemas: { query: listDisbursementsQuery },
      responses: { 200: { description: 'Một trang (số tài khoản được che)', schema: disbursementPage } },
      handler: async (req, res) => {
        res.json(await listDisbursements(principalOf(req), validQuery<DisbursementListQuery>(res)));
      },
    },
    {
      method: 'get',
      path: '/disbursements/transfer-list',
      tag,
      roles: PAYERS,
      summary: 'Danh sách chuyển khoản cho ngân hàng (CSV hoặc XLSX)',
      description:
        'Các khoản chi chuyển khoản đang hiệu lực trong phạm vi lọc: mã BIN, ngân hàng, số tài khoản, tên tài khoản, số tiền, ' +
        "nội dung chuyển khoản không dấu, mã hồ sơ, số chứng từ, ngày chi. CSV là UTF-8 có BOM. Ô bắt đầu bằng = + - @ được thêm dấu ' để không thành công thức.",
      schemas: { query: transferListQuery },
      responses: {
        200: {
          description: 'Tệp danh sách (CSV hoặc XLSX theo `format`)',
          contentType: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        },
      },
      handler: async (req, res) => {
        const file = await transferList(principalOf(req), actorOf(req), validQuery<TransferListQuery>(res));
        res.set({
          'Content-Type': file.contentType,
          'Content-Disposition': contentDisposition(file.fileName),
          'Cache-Control': 'private, no-store',
        });
        res.send(file.body);
      },
    },
    {
      method: 'get',
      path: '/disbursements/:id',
      tag,
      roles: READERS,
      summary: 'Một khoản chi hoặc bút toán hủy (đủ số tài khoản; được ghi nhật ký)',
      schemas: { params: idParams },
      responses: { 200: { description: 'Khoản chi', schema: disbursementResponse } },
      handler: async (req, res) => {
        res.json(await readDisbursement(principalOf(req), actorOf(req), String(req.params.id)));
      },
    },
    {
      method: 'post',
      path: '/disbursements/:id/reverse',
      tag,
      roles: PAYERS,
      summary: 'Hủy một khoản chi sai bằng bút toán ngược dấu (kế toán khác người đã chi)',
      description:
        'Không sửa, không xóa khoản chi: ghi bút toán hủy số tiền âm; hồ sơ, nguồn và sổ chi tiết cùng giảm. ' +
        'Người đã ghi khoản chi: 409 `SEPARATION_OF_DUTIES`; khoản đã hủy: 409 `INVALID_TRANSITION`; hồ sơ đã đóng không hủy được. ' +
        'Yêu cầu hủy bị cắt ngang giữa chừng (máy chủ dừng đột ngột) được dịch vụ tự hoàn tất sau `PAYMENT_FINISH_AFTER_MS` ' +
        '(mặc định 5 phút): hoặc ghi đủ bút toán hủy đúng một lần, hoặc trả khoản chi về trạng thái đã chi để hủy lại. ' +
        'Yêu cầu không dừng mà chỉ chậm quá thời gian đó, khi dịch vụ đã trả khoản chi về, bị từ chối 409 `STALE_REVISION`.',
      schemas: { params: idParams, body: reverseBody },
      responses: {
        201: {
          description: 'Khoản chi đã hủy và bút toán hủy',
          schema: Joi.object({ payment: disbursementResponse, reversal: disbursementResponse }),
        },
      },
      handler: async (req, res) => {
        const { payment, reversal } = await reverseDisbursement(
          principalOf(req),
          actorOf(req),
          String(req.params.id),
          req.body,
        );
        res.status(201).json({ payment: disbursementJSON(payment), reversal: disbursementJSON(reversal) });
      },
    },
    {
      method: 'post',
      path: '/disbursements/:id/receipts',
      tag,
      roles: PAYERS,
      summary: 'Tải lên chứng từ của khoản chi (multipart: file)',
      description: `Nhận ${ACCEPTED_DESCRIPTION}, tối đa ${Math.round(config.maxUploadBytes / 1024 / 1024)} MB; định dạng xác định từ nội dung tệp. Chứng từ chỉ được thêm, không xóa.`,
      bodyType: 'multipart',
      before: singleFileUpload(store, config.maxUploadBytes, 2),
      schemas: { params: idParams, body: Joi.object({}) },
      responses: { 201: { description: 'Chứng từ đã lưu', schema: storedFileResponse } },
      handler: async (req, res) => {
        res.status(201).json(await addReceipt(store, principalOf(req), actorOf(req), String(req.params.id), req.file));
      },
    },
    {
      method: 'get',
      path: '/disbursements/:id/receipts/:receiptId',
      tag,
      roles: READERS,
      summary: 'Tải về một chứng từ của khoản chi',
      schemas: { params: receiptParams },
      responses: {
        200: { description: 'Nội dung tệp, với định dạng xác định khi tải lên', contentType: ACCEPTED_MIME_TYPES },
      },
      handler: async (req, res) => {
        const receipt = await findReceipt(principalOf(req), String(req.params.id), String(req.params.receiptId));
        const stream = store.open(receipt.storedName);
        await onceEvent(stream, 'open');
        res.set(fileResponseHeaders(receipt));
        await pipeline(stream, res);
      },
    },
    {
      method: 'get',
      path: '/disbursements/:id/vietqr',
      tag,
      roles: PAYERS,
      summary: 'Mã VietQR (EMVCo) để chuyển khoản khoản chi vào tài khoản của đoàn viên',
      description:
        'Chỉ cho khoản chi chuyển khoản đang hiệu lực. Nội dung trong mã tối đa 25 ký tự (giới hạn của EMVCo), bắt đầu bằng mã hồ sơ.',
      schemas: { params: idParams },
      responses: {
        200: { description: 'Nội dung mã', schema: vietQrResponse },
        409: { description: 'Khoản chi đã hủy hoặc là bút toán hủy (`INVALID_TRANSITION`)' },
        422: { description: 'Chi tiền mặt hoặc không có tài khoản người nhận (`NOT_ELIGIBLE`)' },
      },
      handler: async (req, res) => {
        res
          .set('Cache-Control', 'private, no-store')
          .json(await vietQr(principalOf(req), actorOf(req), String(req.params.id)));
      },
    },
    {
      method: 'get',
      path: '/disbursements/:id/vietqr.png',
      tag,
      roles: PAYERS,
      summary: 'Ảnh PNG của mã VietQR',
      schemas: { params: idParams },
      responses: {
        200: { description: 'Ảnh PNG', contentType: 'image/png' },
        409: { description: 'Khoản chi đã hủy hoặc là bút toán hủy (`INVALID_TRANSITION`)' },
        422: { description: 'Chi tiền mặt hoặc không có tài khoản người nhận (`NOT_ELIGIBLE`)' },
      },
      handler: async (req, res) => {
        res
          .set({ 'Content-Type': 'image/png', 'Cache-Control': 'private, no-store' })
          .send(await vietQrImage(principalOf(req), actorOf(req), String(req.params.id)));
      },
    },
  ];
}
