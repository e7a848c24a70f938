import type Joi from 'joi';
import { ValidationError } from '../core/errors.js';
import { idParams } from '../core/http/common-schemas.js';
import { actorOf, principalOf } from '../core/http/request-context.js';
import { revisionOf } from '../core/http/revision.js';
import type { RouteDef } from '../core/http/route.js';
import { validQuery } from '../core/http/validate.js';
import { caseResponse, casePage, createCaseBody, listCasesQuery, updateCaseBody } from './cases.schemas.js';
import {
  createCase,
  listCases,
  presentCase,
  readCase,
  showCase,
  updateCase,
  type CaseListQuery,
} from './cases.service.js';
import { movesMoney } from './step-runs.js';
import { runAction } from './transitions.service.js';
import { STATUS_NAMES, TRANSITIONS } from './workflow.js';

const tag = 'Hồ sơ';

const ifMatch =
  'Gửi `revision` của hồ sơ đã xem, trong nội dung hoặc header `If-Match`; nếu hồ sơ đã đổi: 409 `STALE_REVISION`.';
/** JSON Schema cannot say "the body field or the header": the header is listed, and both say that one of them is required. */
const ifMatchHeader = [
  {
    name: 'If-Match',
    required: false,
    description:
      'Phiên bản hồ sơ đã xem (`3`, `"3"` hoặc ETag); bắt buộc nếu nội dung không có `revision` (400 `VALIDATION_FAILED`)',
  },
];

/**
 * The body as the document shows it: `revision` listed as required. The server also takes it from If-Match,
 * which JSON Schema cannot say; the meta only changes the document, validation stays the Joi schema's.
 */
function withRevisionRequired(body: Joi.ObjectSchema): Joi.ObjectSchema {
  const keys = (body.describe() as { keys?: Record<string, { flags?: { presence?: string } }> }).keys ?? {};
  const required = Object.entries(keys)
    .filter(([, key]) => key.flags?.presence === 'required')
    .map(([name]) => name);
  return body.meta({ swagger: { required: [...required, 'revision'] } });
}

const verifierRule =
  'Cán bộ thẩm định chỉ thao tác trên hồ sơ của công đoàn cơ sở mà tổ chức của mình là công đoàn cấp trên trực tiếp ' +
  '(cấp trên là công đoàn cấp trên trực tiếp cơ sở hoặc tỉnh; dưới công đoàn xã, phường: công đoàn xã, phường khi được ủy quyền thẩm định, nếu không thì tỉnh); ' +
  'hồ sơ khác trong phạm vi: 403 `FORBIDDEN`.';

/** What a client meets of a step that moves money (step-runs.ts: the approval, the revocation) cut off or stalled. */
const moneyStepText =
  'Bước này cam kết hoặc trả lại tiền của nguồn. Nếu bị cắt ngang giữa chừng (máy chủ dừng đột ngột, lỗi không lường ' +
  'trước), dịch vụ tự hoàn tất sau `PAYMENT_FINISH_AFTER_MS` (mặc định 5 phút): hồ sơ đã ghi nhận bước này thì sổ chi ' +
  'tiết, tổng báo cáo, nhật ký và quyết định được ghi đúng một lần; chưa ghi nhận thì những gì bước này đã giữ được trả ' +
  'lại và hồ sơ có revision mới. Một yêu cầu không dừng mà chỉ chậm quá thời gian đó, khi dịch vụ đã hủy lượt của nó, ' +
  'bị từ chối 409 `STALE_REVISION` và không ghi gì: tải lại hồ sơ rồi gửi lại.';

/** What a client meets of any other step cut off or stalled (every single step runs under a run, step-runs.ts). */
const stepText =
  'Nếu bước này bị cắt ngang giữa chừng (máy chủ dừng đột ngột, lỗi không lường trước), dịch vụ tự hoàn tất sau ' +
  '`PAYMENT_FINISH_AFTER_MS` (mặc định 5 phút): hồ sơ đã ghi nhận bước này thì tổng báo cáo và nhật ký được ghi đúng ' +
  'một lần; chưa ghi nhận thì hồ sơ có revision mới. Một yêu cầu không dừng mà chỉ chậm quá thời gian đó, khi dịch vụ ' +
  'đã hủy lượt của nó, bị từ chối 409 `STALE_REVISION` và không ghi gì: tải lại hồ sơ rồi gửi lại.';

/** One route per row of the workflow table: the OpenAPI document shows exactly what the table allows. */
const actionRoutes: RouteDef[] = TRANSITIONS.map((t) => ({
  method: 'post',
  path: `/cases/:id/${t.action}`,
  tag,
  roles: t.roles,
  summary: t.summary,
  description: [
    `Từ trạng thái: ${t.from.map((s) => `\`${s}\` (${STATUS_NAMES[s]})`).join(', ')} → \`${t.to}\` (${STATUS_NAMES[t.to]}).`,
    t.checks.length ? `Kiểm tra: ${t.checks.join(', ')}.` : '',
    t.roles.includes('verifier') ? verifierRule : '',
    movesMoney(t) ? moneyStepText : stepText,
    ifMatch,
  ]
    .filter(Boolean)
    .join('\n\n'),
  schemas: { params: idParams, body: withRevisionRequired(t.body) },
  headers: ifMatchHeader,
  responses: { 200: { description: 'Hồ sơ sau khi chuyển trạng thái', schema: caseResponse } },
  handler: async (req, res) => {
    const body = { ...req.body, revision: revisionOf(req) };
    const done = await runAction(principalOf(req), actorOf(req), String(req.params.id), t.action, body);
    res.json(await presentCase(principalOf(req), actorOf(req), done));
  },
}));

export const caseRoutes: RouteDef[] = [
  {
    method: 'post',
    path: '/cases',
    tag,
    roles: ['grassroots_officer'],
    summary: 'Tạo hồ sơ nháp cho một đoàn viên của công đoàn cơ sở',
    description:
      'Mã hồ sơ (MAC-2026-000123, TET-…, TT-…) được cấp ngay, theo dãy số riêng của chương trình và năm, không bao giờ dùng lại.',
    schemas: { body: createCaseBody },
    responses: { 201: { description: 'Hồ sơ nháp', schema: caseResponse } },
    handler: async (req, res) => {
      // The case as inserted is the stored case: answered without reading it again.
      const record = await createCase(principalOf(req), actorOf(req), req.body);
      res.status(201).json(await showCase(principalOf(req), actorOf(req), record));
    },
  },
  {
    method: 'get',
    path: '/cases',
    tag,
    summary: 'Danh sách hồ sơ trong phạm vi, có lọc, tìm kiếm, phân trang',
    schemas: { query: listCasesQuery },
    responses: { 200: { description: 'Một trang (không gồm lịch sử, giấy tờ, thông tin cá nhân)', schema: casePage } },
    handler: async (req, res) => {
      res.json(await listCases(principalOf(req), validQuery<CaseListQuery>(res)));
    },
  },
  {
    method: 'get',
    path: '/cases/:id',
    tag,
    summary: 'Xem hồ sơ với lịch sử, giấy tờ và các thao tác được phép (allowedActions)',
    description:
      '`ETag` là phiên bản (`revision`) của hồ sơ, để gửi lại trong `If-Match` khi thao tác. Câu trả lời khác nhau theo người hỏi, ' +
      'nên không bao giờ trả 304 cho `If-None-Match` và không được lưu đệm (`Cache-Control: private, no-store`).',
    schemas: { params: idParams },
    responses: { 200: { description: 'Hồ sơ', schema: caseResponse } },
    handler: async (req, res) => {
      const view = await readCase(principalOf(req), actorOf(req), String(req.params.id));
      // The ETag is the revision, to send back as If-Match. The answer itself differs by caller (allowedActions,
      // the audited snapshot), so a conditional GET is never answered 304 from a revision seen by someone else.
      delete req.headers['if-none-match'];
      res.set('ETag', `"${String(view.revision)}"`).json(view);
    },
  },
  {
    method: 'patch',
    path: '/cases/:id',
    tag,
    roles: ['grassroots_officer'],
    summary: 'Sửa hồ sơ nháp hoặc bị trả lại',
    description: `Đoàn viên và đợt chỉ đổi được khi hồ sơ còn là bản nháp. ${ifMatch}`,
    schemas: { params: idParams, body: withRevisionRequired(updateCaseBody) },
    headers: ifMatchHeader,
    responses: { 200: { description: 'Hồ sơ đã sửa', schema: caseResponse } },
    handler: async (req, res) => {
      const revision = revisionOf(req);
      if (revision === undefined) {
        throw new ValidationError([
          { path: 'revision', message: 'Cần gửi revision (hoặc header If-Match) của hồ sơ đã xem' },
        ]);
      }
      const record = await updateCase(principalOf(req), actorOf(req), String(req.params.id), { ...req.body, revision });
      res.json(await readCase(principalOf(req), actorOf(req), String(record._id)));
    },
  },
  ...actionRoutes,
];
