import { create as contentDisposition } from 'content-disposition';
import type { AppContext } from '../core/context.js';
import { idParams } from '../core/http/common-schemas.js';
import { actorOf, principalOf } from '../core/http/request-context.js';
import type { RouteDef } from '../core/http/route.js';
import { validQuery } from '../core/http/validate.js';
import { STATUS_NAMES, transitionOf } from '../cases/index.js';
import { DocumentStore, singleFileUpload } from '../documents/index.js';
import { acceptedResponse, answerWithJob, asyncNote, jobsRepository } from '../jobs/index.js';
import { actionJobKind, registerActionJobs } from './action-jobs.js';
import { BATCH_ACTIONS, prepareBatchAction } from './actions.service.js';
import {
  actionBodies,
  actionResponse,
  batchCasesPage,
  batchCasesQuery,
  batchDetail,
  batchDetailQuery,
  batchPage,
  importBody,
  importResponse,
  listBatchesQuery,
  templateQuery,
} from './batches.schemas.js';
import { listBatches, listCasesOfBatch, readBatch, type BatchListQuery } from './batches.service.js';
import { IMPORT_JOB, importItemKeys, registerImportJob, type ImportJobInput } from './import-job.js';
import { abandonImport, openImport } from './import.service.js';
import type { ImportInput } from './list-context.js';
import { listStore } from './list-store.js';
import { MAX_LIST_ROWS } from './list-file.js';
import { listTemplate } from './template.js';

const tag = 'Danh sách';

export function batchRoutes(ctx: AppContext): RouteDef[] {
  const { config } = ctx;
  registerActionJobs();
  registerImportJob();
  // Uploaded lists pass through the uploads' temp folder and are removed when the response ends; only their hash is kept.
  const store = new DocumentStore(config.uploadDir);
  const maxMb = Math.round(config.maxUploadBytes / 1024 / 1024);

  const actionRoutes: RouteDef[] = BATCH_ACTIONS.map((action) => {
    const t = transitionOf(action);
    return {
      method: 'post',
      path: `/batches/:id/${action}`,
      tag,
      roles: t.roles,
      summary: `Thao tác "${action}" cho cả danh sách: ${t.summary}`,
      description: [
        `Áp dụng đúng quy tắc của \`POST /cases/:id/${action}\` cho từng hồ sơ của danh sách (trừ \`exclude\`), với phiên bản hiện tại của hồ sơ; ` +
          `từ ${t.from.map((s) => `\`${s}\` (${STATUS_NAMES[s]})`).join(', ')} → \`${t.to}\`. Trả lời từng hồ sơ: \`ok\` với trạng thái mới, ` +
          '`failed` với mã lỗi và lý do (hồ sơ vừa được xử lý riêng lẻ được báo lại, không bị ép), `excluded`, hoặc `skipped` ' +
          '(hồ sơ không ở bước của thao tác, ví dụ đã được để lại khi thẩm định hay đã bị từ chối riêng: giữ nguyên, không ghi lịch sử).',
        action === 'verify'
          ? 'Số tiền đề nghị: `amounts` của hồ sơ, nếu không thì `recommendedAmount`, nếu không thì số tiền đề nghị của hồ sơ.'
          : '',
        action === 'approve'
          ? 'Số tiền phê duyệt: `amounts` của hồ sơ, nếu không thì số tiền đề nghị của người thẩm định (hoặc số tiền đề nghị). ' +
            'Nguồn: `fundId` (toàn bộ) hoặc `fundShares` (tỷ lệ %). Hồ sơ không còn đủ nguồn báo `INSUFFICIENT_FUNDS`, các hồ sơ khác vẫn được duyệt. ' +
            'Ban hành MỘT quyết định kèm danh sách cho mọi hồ sơ được duyệt trong lần này.'
          : '',
        'Công việc xử lý các hồ sơ từng phần 250 hồ sơ (một lần đọc và một lần ghi cho cả phần, cùng quy tắc và cùng câu trả lời ' +
          'như từng hồ sơ; hồ sơ vừa bị thao tác riêng lẻ chen vào được làm lại riêng): `progress` tăng theo từng phần.',
        asyncNote(config.jobs.syncLimit),
      ]
        .filter(Boolean)
        .join('\n\n'),
      schemas: { params: idParams, body: actionBodies[action] },
      responses: { 200: { description: 'Kết quả từng hồ sơ', schema: actionResponse }, 202: acceptedResponse },
      handler: async (req, res) => {
        const batchId = String(req.params.id);
        const batch = await prepareBatchAction(principalOf(req), batchId, action, req.body);
        const itemKeys = batch.caseIds.map(String);
        await answerWithJob(
          ctx,
          req,
          res,
          { kind: actionJobKind(action), input: { batchId, action, body: req.body }, itemKeys },
          200,
        );
      },
    };
  });

  return [
    {
      method: 'get',
      path: '/batches/template',
      tag,
      summary: 'Tải mẫu danh sách (XLSX hoặc CSV) với tiêu đề tiếng Việt và một dòng ví dụ',
      schemas: { query: templateQuery },
      responses: {
        200: {
          description: 'Tệp mẫu (XLSX hoặc CSV theo `format`)',
          contentType: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'],
        },
      },
      handler: async (req, res) => {
        const { programCode, format } = validQuery<{ programCode: string; format: 'csv' | 'xlsx' }>(res);
        const file = await listTemplate(principalOf(req), programCode, format);
        res
          .set({ 'Content-Type': file.contentType, 'Content-Disposition': contentDisposition(file.fileName) })
          .send(file.body);
      },
    },
    {
      method: 'post',
      path: '/batches/import',
      tag,
      roles: ['grassroots_officer'],
      summary: 'Nhập danh sách (CSV hoặc XLSX) thành các hồ sơ nháp của một danh sách',
      description:
        `Tệp CSV (UTF-8, có hoặc không BOM, dấu phẩy hoặc chấm phẩy) hoặc XLSX, tối đa ${maxMb} MB và ${MAX_LIST_ROWS} dòng; ` +
        'tiêu đề theo mẫu (tiếng Việt) hoặc tên trường tiếng Anh. Ngày dd/mm/yyyy hoặc yyyy-mm-dd; số tiền có hoặc không dấu chấm ngăn cách ' +
        '(bỏ trống: mức tối đa); giới tính Nam/Nữ. Đoàn viên được tìm theo số CCCD hoặc tạo mới trong công đoàn cơ sở. ' +
        'Trả lời danh sách, số dòng, mã các hồ sơ đã tạo và mọi dòng bị loại kèm số dòng và lý do. Tệp không có dòng hợp lệ: 400, không tạo gì. ' +
        'Cùng một tệp (SHA-256) nhập lần hai: 409 kèm `batchId` của lần trước (trừ danh sách `incomplete`, xem dưới). Công thức trong ô không được tính, bị coi là lỗi của dòng.\n\n' +
        'Tệp thiếu, chương trình hay đợt sai, tệp đã nhập (409), tệp quá lớn (413), không đọc được (415) hay sai dòng tiêu đề (400): ' +
        'luôn trả lời ngay. Các dòng được nhập như một công việc (`batch.import`), từng phần 250 dòng, mỗi dòng đúng một lần kể cả khi máy chủ dừng giữa chừng. ' +
        asyncNote(config.jobs.syncLimit).replace('hồ sơ (JOB_SYNC_LIMIT)', 'dòng dữ liệu (JOB_SYNC_LIMIT)') +
        ' Khi chạy nền, tệp không có dòng hợp lệ nào làm công việc kết thúc `failed` với `error` mang đúng `code` và `detail` của câu trả lời 400 đồng bộ; không danh sách nào được tạo. ' +
        'Công việc nhập danh sách không hủy được giữa chừng. Công việc thất bại vì lý do khác sau khi đã tạo hồ sơ ' +
        '(ví dụ người nhập bị khóa tài khoản trước khi máy chủ khác tiếp nhận công việc) để lại danh sách `incomplete`: ' +
        'các hồ sơ đã tạo là hồ sơ nháp của nó, `importError` nói vì sao dừng, `rowsRead` đã đọc bao nhiêu dòng; ' +
        'chưa tạo hồ sơ nào thì không để lại danh sách. Tải lên lại đúng tệp đó (cùng chương trình, đợt, loại hỗ trợ) ' +
        'thì nhập tiếp chính danh sách ấy (trả lời như một lần nhập, cùng `batchId`): dòng đã thành hồ sơ không bị tạo lại. ' +
        'Tệp lưu tạm (GridFS) luôn bị xóa khi công việc kết thúc, thành công hay thất bại.',
      bodyType: 'multipart',
      before: singleFileUpload(store, config.maxUploadBytes, 4),
      schemas: { body: importBody },
      responses: { 201: { description: 'Danh sách đã tạo', schema: importResponse }, 202: acceptedResponse },
      handler: async (req, res) => {
        const { programCode, campaignId, subtype } = req.body as ImportInput;
        const { batch, rows } = await openImport(principalOf(req), actorOf(req), req.body, req.file);
        let fileId: string | undefined;
        try {
          fileId = String(await listStore.save(req.file!.path, { batchId: batch._id }));
          const input: ImportJobInput = {
            programCode,
            ...(campaignId ? { campaignId } : {}),
            ...(subtype ? { subtype } : {}),
            batchId: String(batch._id),
            importRun: String(batch.importRun),
            fileId,
            fileName: batch.fileName,
            rows,
          };
          await answerWithJob(
            ctx,
            req,
            res,
            { kind: IMPORT_JOB, input, itemKeys: importItemKeys(rows), size: rows, total: rows },
            201,
          );
        } catch (error) {
          // Once a job holds the upload, the job removes it when it ends (also when it fails: its `failed`); a
          // request that fails before, storing the file or making the job, removes what it left itself.
          if (!fileId || !(await jobsRepository.existsWithInput('fileId', fileId))) {
            if (fileId) await listStore.remove(fileId);
            await abandonImport(batch);
          }
          throw error;
        }
      },
    },
    {
      method: 'get',
      path: '/batches',
      tag,
      summary: 'Các danh sách trong phạm vi',
      description: 'Mỗi danh sách kèm `statusCounts`: số hồ sơ của nó theo từng trạng thái hiện tại (đọc từ hồ sơ).',
      schemas: { query: listBatchesQuery },
      responses: {
        200: {
          description: 'Một trang danh sách, mỗi danh sách kèm statusCounts',
          schema: batchPage,
        },
      },
      handler: async (req, res) => {
        res.json(await listBatches(principalOf(req), validQuery<BatchListQuery>(res)));
      },
    },
    {
      method: 'get',
      path: '/batches/:id',
      tag,
      summary: 'Xem một danh sách với các hồ sơ và trạng thái hiện tại',
      schemas: { params: idParams, query: batchDetailQuery },
      description:
        '`verifierOrgId`: công đoàn cấp trên trực tiếp của công đoàn cơ sở lập danh sách, tổ chức thẩm định các hồ sơ của danh sách. ' +
        'Danh sách dài (hàng chục nghìn hồ sơ): gọi với `cases=none` rồi đọc hồ sơ từng trang ở GET /batches/:id/cases.',
      responses: {
        200: { description: 'Danh sách, các hồ sơ, số lượng và số tiền theo trạng thái', schema: batchDetail },
      },
      handler: async (req, res) => {
        res.json(await readBatch(principalOf(req), String(req.params.id), validQuery<{ cases: 'all' | 'none' }>(res)));
      },
    },
    {
      method: 'get',
      path: '/batches/:id/cases',
      tag,
      summary: 'Các hồ sơ của một danh sách, từng trang, theo thứ tự trong tệp',
      schemas: { params: idParams, query: batchCasesQuery },
      responses: {
        200: { description: 'Một trang hồ sơ của danh sách', schema: batchCasesPage },
      },
      handler: async (req, res) => {
        res.json(
          await listCasesOfBatch(
            principalOf(req),
            String(req.params.id),
            validQuery<{ page: number; limit: number }>(res),
          ),
        );
      },
    },
    ...actionRoutes,
  ];
}
