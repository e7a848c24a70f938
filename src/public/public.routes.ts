import type { RouteDef } from '../core/http/route.js';
import { validQuery } from '../core/http/validate.js';
import { verifyDecisionByNumber } from '../decisions/index.js';
import {
  byNumberParams,
  byNumberQuery,
  lookupQuery,
  publicSummaryResponse,
  publicVerification,
  summaryParams,
  summaryQuery,
} from './public.schemas.js';
import { publicSummary } from './summary.service.js';

const tag = 'Công khai';

const NO_PERSONAL =
  'Không cần đăng nhập; không có họ tên, CCCD, tài khoản hay địa chỉ của ai; giới hạn số yêu cầu theo địa chỉ (429 kèm `Retry-After`).';

const BY_NUMBER = [
  'Trả lời như `GET /decisions/verify/{token}`: số, ngày, đơn vị ban hành, chương trình, số người, tổng tiền, còn hiệu lực hay đã thu hồi, SHA-256 của tệp PDF.',
  'Số có dấu `/`: mã hóa trong đường dẫn (`15%2FQ%C4%90-L%C4%90L%C4%90`) hoặc dùng `GET /public/decisions?number=15/QĐ-LĐLĐ&issuer=HT`.',
  'Có thể chỉ nhập số thứ tự (`15`) hoặc gõ không dấu (`15/QD-LDLD`). Số được đánh lại từ 1 mỗi năm: khi số có ở nhiều năm, cần `year` (400 nêu các năm).',
  'Không có: 404.',
  NO_PERSONAL,
].join(' ');

export const publicRoutes: RouteDef[] = [
  {
    method: 'get',
    path: '/public/orgs/:code/summary',
    tag,
    auth: 'public',
    summary: 'Công khai: số liệu hỗ trợ của một tỉnh theo chương trình và đợt trong kỳ, và các quyết định đã ban hành',
    description: [
      'Theo SPEC §15 và Hướng dẫn 42/HD-TLĐ: số hồ sơ và số tiền được phê duyệt, số tiền đã chi và số người đã nhận trong kỳ, theo chương trình và đợt;',
      'lấy từ cùng số liệu tổng hợp với `GET /reports/summary?groupBy=program,campaign` nên khớp đến từng đồng.',
      'Nhóm có dưới 5 người được gộp vào dòng "Khác" (nếu "Khác" vẫn dưới 5 người, các nhóm nhỏ nhất được gộp thêm). Trang web: `/cong-khai/{code}`.',
      'Mã không phải của một tỉnh: 404.',
      NO_PERSONAL,
    ].join(' '),
    schemas: { params: summaryParams, query: summaryQuery },
    responses: { 200: { description: 'Số liệu công khai', schema: publicSummaryResponse } },
    handler: async (req, res) => {
      res.json(await publicSummary(String(req.params.code), validQuery<{ period?: string }>(res).period));
    },
  },
  {
    method: 'get',
    path: '/public/decisions',
    tag,
    auth: 'public',
    summary: 'Công khai: xác thực quyết định theo số in trên giấy (số trong tham số `number`)',
    description: BY_NUMBER,
    schemas: { query: lookupQuery },
    responses: {
      200: { description: 'Thông tin xác thực', schema: publicVerification },
      404: { description: 'Không có quyết định mang số này của đơn vị ban hành (`NOT_FOUND`)' },
    },
    handler: async (req, res) => {
      const query = validQuery<{ number: string; issuer: string; year?: number }>(res);
      res.json(await verifyDecisionByNumber(query.number, query.issuer, query.year));
    },
  },
  {
    method: 'get',
    path: '/public/decisions/:number',
    tag,
    auth: 'public',
    summary: 'Công khai: xác thực quyết định theo số in trên giấy và mã đơn vị ban hành',
    description: BY_NUMBER,
    schemas: { params: byNumberParams, query: byNumberQuery },
    responses: {
      200: { description: 'Thông tin xác thực', schema: publicVerification },
      404: { description: 'Không có quyết định mang số này của đơn vị ban hành (`NOT_FOUND`)' },
    },
    handler: async (req, res) => {
      const query = validQuery<{ issuer: string; year?: number }>(res);
      res.json(await verifyDecisionByNumber(String(req.params.number), query.issuer, query.year));
    },
  },
];
