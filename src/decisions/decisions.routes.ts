import { pipeline } from 'node:stream/promises';
import { create as contentDisposition } from 'content-disposition';
import type { AppContext } from '../core/context.js';
import { idParams } from '../core/http/common-schemas.js';
import { actorOf, principalOf } from '../core/http/request-context.js';
import type { RouteDef } from '../core/http/route.js';
import { validQuery } from '../core/http/validate.js';
import {
  decisionPage,
  decisionResponse,
  listDecisionsQuery,
  settleBody,
  verifyResponse,
  verifyTokenParams,
} from './decisions.schemas.js';
import {
  decisionJSON,
  getDecisionInScope,
  listDecisions,
  openPdf,
  settleDecisionOfCase,
  type DecisionListQuery,
} from './decisions.service.js';
import { configureDecisions } from './decisions.settings.js';
import { verifyDecisionById, verifyDecisionByToken } from './verification.service.js';

const tag = 'Quyết định';

const NUMBERING =
  'Số quyết định `N/QĐ-LĐLĐ` theo tổ chức ban hành (LĐLĐ tỉnh) và năm của ngày quyết định, liên tục, không trùng, không bỏ số.';

/** Building the routes loads and checks the templates: a broken one stops the start (SPEC §6). */
export function decisionRoutes(ctx: AppContext): RouteDef[] {
  configureDecisions(ctx);
  return [
    {
      method: 'get',
      path: '/decisions',
      tag,
      summary: 'Danh sách quyết định trong phạm vi (do tổ chức mình ban hành hoặc có hồ sơ của cây con mình)',
      description: NUMBERING,
      schemas: { query: listDecisionsQuery },
      responses: { 200: { description: 'Một trang', schema: decisionPage } },
      handler: async (req, res) => {
        res.json(await listDecisions(principalOf(req), validQuery<DecisionListQuery>(res)));
      },
    },
    {
      method: 'get',
      path: '/decisions/:id',
      tag,
      summary: 'Xem một quyết định: số, ngày, người ký, căn cứ, các hồ sơ và số tiền, trạng thái',
      schemas: { params: idParams },
      responses: { 200: { description: 'Quyết định', schema: decisionResponse } },
      handler: async (req, res) => {
        res.json(await decisionJSON(await getDecisionInScope(principalOf(req), String(req.params.id))));
      },
    },
    {
      method: 'get',
      path: '/decisions/:id/pdf',
      tag,
      summary: 'Tải tệp PDF của quyết định (thể thức Nghị định 30/2020/NĐ-CP)',
      description:
        'Tệp được tạo một lần khi ban hành, lưu lại và trả về nguyên vẹn từng byte mọi lần sau. `ETag` là SHA-256 của tệp (như `GET …/verify` trả lời); gửi `If-None-Match` để nhận 304.',
      schemas: { params: idParams },
      responses: {
        200: { description: 'Tệp PDF', contentType: 'application/pdf' },
        304: { description: 'Tệp không đổi so với ETag đã gửi' },
      },
      handler: async (req, res) => {
        const pdf = await openPdf(principalOf(req), String(req.params.id));
        const etag = `"${pdf.sha256}"`;
        res.set({ ETag: etag, 'Cache-Control': 'private, no-cache' });
        if (
          req
            .get('if-none-match')
            ?.split(',')
            .map((t) => t.trim())
            .includes(etag)
        ) {
          res.status(304).end();
          return;
        }
        res.set({
          'Content-Type': 'application/pdf',
          'Content-Length': String(pdf.size),
          'Content-Disposition': contentDisposition(`quyet-dinh-${pdf.decision.sequence}-${pdf.decision.year}.pdf`, {
            type: 'inline',
          }),
        });
        await pipeline(pdf.stream(), res);
      },
    },
    {
      method: 'get',
      path: '/decisions/verify/:token',
      tag,
      auth: 'public',
      summary: 'Xác thực quyết định theo mã in trên giấy (công khai, không cần đăng nhập)',
      description: [
        'Mỗi quyết định có một mã xác thực ngẫu nhiên (128 bit) in trong mã QR và đường dẫn `…/xac-minh/<mã>`;',
        'không thể đoán mã của quyết định khác. Trả lời số, ngày, tổ chức ban hành, chương trình, số người được hỗ trợ,',
        'tổng số tiền, trạng thái (`issued` còn hiệu lực, `revoked` đã thu hồi) và SHA-256 của tệp PDF; không có thông tin cá nhân.',
        'Trang `/xac-minh/<mã>` trả lời cùng nội dung dưới dạng trang web (JSON khi `Accept: application/json`). Mã không đúng: 404.',
      ].join(' '),
      schemas: { params: verifyTokenParams },
      responses: { 200: { description: 'Thông tin xác thực', schema: verifyResponse } },
      handler: async (req, res) => {
        res.json(await verifyDecisionByToken(String(req.params.token)));
      },
    },
    {
      method: 'get',
      path: '/decisions/:id/verify',
      tag,
      auth: 'optional',
      summary: 'Xác thực quyết định theo mã định danh (người đăng nhập; công khai chỉ với quyết định in đường dẫn này)',
      description: [
        'Người đã đăng nhập: quyết định trong phạm vi của mình. Không đăng nhập: chỉ trả lời các quyết định ban hành trước khi có mã xác thực,',
        'vì giấy của chúng in đường dẫn này và giấy đã ban hành không thay đổi được; mọi quyết định khác trả lời 404, để không dò được',
        'quyết định bằng cách thử các mã định danh liên tiếp. Các quyết định mới in `…/xac-minh/<mã>` (xem `GET /decisions/verify/{token}`).',
      ].join(' '),
      schemas: { params: idParams },
      responses: {
        200: {
          description: 'Thông tin xác thực: JSON, hoặc trang HTML tiếng Việt khi trình duyệt hỏi `Accept: text/html`',
          schema: verifyResponse,
          contentType: ['application/json', 'text/html'],
        },
        404: {
          description:
            'Không có, hoặc không công khai theo mã định danh (`NOT_FOUND`); trang HTML khi trình duyệt hỏi `Accept: text/html`',
          contentType: ['application/problem+json', 'text/html'],
        },
      },
      handler: async (req, res) => {
        res.json(await verifyDecisionById(req.auth, String(req.params.id)));
      },
    },
    {
      method: 'post',
      path: '/cases/:id/decision',
      tag,
      roles: ['approver'],
      summary: 'Ban hành (bổ sung) quyết định của hồ sơ đã phê duyệt',
      description: [
        'Phê duyệt một hồ sơ (`POST /cases/:id/approve`) ban hành quyết định của hồ sơ đó ngay sau khi phê duyệt.',
        'Nếu việc ban hành bị gián đoạn (hồ sơ đã phê duyệt nhưng `decisionId` còn trống), gọi thao tác này để ban hành;',
        'gọi lại nhiều lần vẫn chỉ có một quyết định (201 khi vừa ban hành, 200 khi đã có).',
        'Với hồ sơ đã thu hồi, ghi nhận việc thu hồi vào quyết định nếu còn thiếu.',
        NUMBERING,
      ].join(' '),
      schemas: { params: idParams, body: settleBody },
      responses: {
        200: { description: 'Quyết định đã có', schema: decisionResponse },
        201: { description: 'Quyết định vừa ban hành', schema: decisionResponse },
      },
      handler: async (req, res) => {
        const { decision, created } = await settleDecisionOfCase(
          principalOf(req),
          actorOf(req),
          String(req.params.id),
          req.body,
        );
        res.status(created ? 201 : 200).json(await decisionJSON(decision));
      },
    },
  ];
}
