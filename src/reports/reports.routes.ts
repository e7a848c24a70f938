import { create as contentDisposition } from 'content-disposition';
import type { Request, Response } from 'express';
import type { AppContext } from '../core/context.js';
import { auditHeadLine } from '../audit/index.js';
import { principalOf } from '../core/http/request-context.js';
import type { RouteDef } from '../core/http/route.js';
import { validQuery } from '../core/http/validate.js';
import type { Role } from '../core/shared/roles.js';
import {
  registerQuery,
  registerResponse,
  summaryQuery,
  summaryResponse,
  type ReportFormat,
} from './reports.schemas.js';
import { registerLines, registerReport, summaryReport, type ReportQuery } from './reports.service.js';
import {
  registerStreamedTable,
  registerTable,
  summaryTable,
  type PrintContext,
  type ReportTable,
  type StreamedTable,
} from './table.js';
import { tablePdf } from './pdf/render.js';
import { tableCsv, writeTableCsv } from './csv.js';
import { tableXlsx, writeTableXlsx } from './xlsx.js';

const tag = 'Báo cáo';
/**
 * Accountants read reports of their subtree (SPEC §2), approvers the figures of what they approve, and
 * administrators everything in their subtree. Verifiers and grassroots officers do not: the summary and the
 * register are the province's financial reports (403, whatever the organisation asked for).
 */
const READERS: readonly Role[] = ['accountant', 'approver', 'admin'];

const CONTENT_TYPES: Record<Exclude<ReportFormat, 'json'>, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};
/** The answer's media types for the document, one per format. */
const REPORT_TYPES = ['application/json', 'text/csv', CONTENT_TYPES.xlsx, CONTENT_TYPES.pdf];

/** `format` wins; else the Accept header may ask for a file; else JSON. */
function formatOf(req: Request, query: { format?: ReportFormat }): ReportFormat {
  if (query.format) return query.format;
  const accepted = req.accepts(['application/json', 'text/csv', CONTENT_TYPES.xlsx, 'application/pdf']);
  if (accepted === 'text/csv') return 'csv';
  if (accepted === CONTENT_TYPES.xlsx) return 'xlsx';
  if (accepted === 'application/pdf') return 'pdf';
  return 'json';
}

const fileHeaders = (format: Exclude<ReportFormat, 'json'>, table: { fileName: string }) => ({
  'Content-Type': CONTENT_TYPES[format],
  'Content-Disposition': contentDisposition(`${table.fileName}.${format}`),
  'Cache-Control': 'private, no-store',
});

async function sendFile(res: Response, format: Exclude<ReportFormat, 'json'>, table: ReportTable): Promise<void> {
  const body = format === 'csv' ? tableCsv(table) : format === 'xlsx' ? await tableXlsx(table) : await tablePdf(table);
  res.set(fileHeaders(format, table));
  res.send(body);
}

/**
 * A register as CSV or XLSX, written as its lines are read: memory stays bounded whatever the period holds. An error
 * after the first bytes can only end the answer (the error handler closes it).
 */
async function streamFile(res: Response, format: 'csv' | 'xlsx', table: StreamedTable): Promise<void> {
  res.set(fileHeaders(format, table));
  await (format === 'csv' ? writeTableCsv(table, res) : writeTableXlsx(table, res));
}

const formatsText =
  'Định dạng: `format=json|csv|xlsx|pdf` hoặc header Accept. CSV là UTF-8 có BOM. ' +
  'XLSX có tiêu đề, định dạng số, dòng tiêu đề cố định và in lặp ở mỗi trang, in vừa một trang theo chiều ngang; dòng tổng là công thức SUM (kèm giá trị đã tính) ở các cột cộng được, ' +
  'giá trị ở các cột không cộng được (người được chi, hồ sơ mở cuối kỳ khi nhóm theo tháng, lũy kế). ' +
  'PDF theo thể thức văn bản (Nghị định 30/2020): tiêu đề hai cột như quyết định, ký hiệu `……/BC-<viết tắt của đơn vị>` (lấy từ tên viết tắt), chữ 11 pt, ' +
  'khổ dọc hoặc ngang theo độ rộng bảng, bảng quá rộng được chia thành nhiều phần (lặp cột nhóm), dòng tiêu đề lặp ở mỗi trang; ' +
  'cuối cùng là hàng chữ ký NGƯỜI LẬP BIỂU (tên người tải báo cáo) / KẾ TOÁN TRƯỞNG / THỦ TRƯỞNG ĐƠN VỊ. ' +
  "Ô bắt đầu bằng = + - @ được thêm dấu ' để không thành công thức. Ngày tính theo giờ Việt Nam (Asia/Ho_Chi_Minh). `orgId` ngoài phạm vi: 404.";

/** The report routes; `ctx` gives the register's PDF limit (`REPORT_PDF_MAX_LINES`). */
export function reportRoutes(ctx: AppContext): RouteDef[] {
  const pdfMaxLines = ctx.config.reports.pdfMaxLines;
  return [
    {
      method: 'get',
      path: '/reports/summary',
      tag,
      roles: READERS,
      summary: 'Báo cáo tổng hợp theo kỳ: tiếp nhận, phê duyệt, chi trả, người được chi, hồ sơ đang mở cuối kỳ',
      description: [
        'Tiếp nhận: hồ sơ nộp lần đầu trong kỳ. Phê duyệt: theo ngày quyết định, chỉ các phê duyệt còn hiệu lực (hồ sơ bị thu hồi không tính). ' +
          'Chi trả: các khoản chi (+) và bút toán hủy (−) theo ngày của chúng, khớp tổng của sổ chi trả. Người được chi: số đoàn viên khác nhau có tổng chi ròng > 0 trong kỳ. ' +
          'Đang mở cuối kỳ: theo trạng thái vào cuối ngày cuối kỳ (theo tháng khi nhóm theo tháng).',
        'Nhóm theo `org`: các đơn vị trực thuộc đơn vị báo cáo, cộng dồn cả cây bên dưới. Nhóm theo `fund`: phê duyệt chia theo nguồn; tiếp nhận và hồ sơ mở thuộc dòng không theo nguồn. ' +
          'Kỳ trọn tháng đọc tổng theo tháng được duy trì; khoảng ngày lẻ tính lại từ hồ sơ.',
        formatsText,
      ].join('\n\n'),
      schemas: { query: summaryQuery },
      responses: {
        200: {
          description: 'Báo cáo tổng hợp (JSON, hoặc tệp CSV/XLSX/PDF theo `format`)',
          schema: summaryResponse,
          contentType: REPORT_TYPES,
        },
      },
      handler: async (req, res) => {
        const query = validQuery<ReportQuery & { format?: ReportFormat }>(res);
        const format = formatOf(req, query);
        const principal = principalOf(req);
        const { printOrg, ...report } = await summaryReport(principal, query);
        if (format === 'json') res.set('Cache-Control', 'private, no-store').json(report);
        // The audit chain's head printed on the summary's paper (SPEC §15).
        else {
          const table = summaryTable(report, { org: printOrg, preparedBy: principal.fullName });
          if (format === 'pdf') table.footer = (await auditHeadLine()) ?? undefined;
          await sendFile(res, format, table);
        }
      },
    },
    {
      method: 'get',
      path: '/reports/disbursements',
      tag,
      roles: READERS,
      summary: 'Sổ chi trả: mọi khoản chi và bút toán hủy trong kỳ, có lũy kế',
      description:
        'Số chứng từ, ngày, mã hồ sơ, người thụ hưởng, công đoàn cơ sở, nguồn, số tiền (hủy chi: số âm) và lũy kế, theo thứ tự ghi nhận.\n\n' +
        'CSV và XLSX được ghi dần trong khi đọc các bút toán (bộ nhớ không tăng theo độ dài sổ: quý Tết của một thành phố lớn là hàng trăm nghìn dòng); ' +
        `PDF chỉ cho sổ tối đa ${pdfMaxLines.toLocaleString('vi-VN')} bút toán (\`REPORT_PDF_MAX_LINES\`), dài hơn thì trả 400 \`VALIDATION_FAILED\` chỉ ra trường \`format\`.\n\n${formatsText}`,
      schemas: { query: registerQuery },
      responses: {
        200: {
          description: 'Sổ chi trả (JSON, hoặc tệp CSV/XLSX/PDF theo `format`)',
          schema: registerResponse,
          contentType: REPORT_TYPES,
        },
      },
      handler: async (req, res) => {
        const query = validQuery<ReportQuery & { format?: ReportFormat }>(res);
        const format = formatOf(req, query);
        const principal = principalOf(req);
        const print = (org: PrintContext['org']) => ({ org, preparedBy: principal.fullName });
        if (format === 'csv' || format === 'xlsx') {
          const { printOrg, ...report } = await registerLines(principal, query);
          await streamFile(res, format, registerStreamedTable(report, print(printOrg)));
          return;
        }
        // A file is always the whole register: `page` and `limit` are for the JSON.
        const { page: _page, limit: _limit, ...whole } = query as ReportQuery & { page?: number; limit?: number };
        const { printOrg, ...report } =
          format === 'pdf'
            ? await registerReport(principal, whole, pdfMaxLines)
            : await registerReport(principal, query);
        if (format === 'json') res.set('Cache-Control', 'private, no-store').json(report);
        else await sendFile(res, format, registerTable(report, print(printOrg)));
      },
    },
  ];
}
