import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import Joi from 'joi';
import type { AppContext } from '../core/context.js';
import { objectId } from '../core/http/common-schemas.js';
import { actorOf, principalOf } from '../core/http/request-context.js';
import { revisionOf } from '../core/http/revision.js';
import type { RouteDef } from '../core/http/route.js';
import { validQuery } from '../core/http/validate.js';
import { caseDocumentResponse } from './documents.schemas.js';
import { DocumentStore } from './documents.storage.js';
import { fileResponseHeaders } from './file-response.js';
import { addDocument, findDocument, removeDocument } from './documents.service.js';
import { ACCEPTED_DESCRIPTION, ACCEPTED_MIME_TYPES } from './file-types.js';
import { singleFileUpload } from './uploads.js';

const tag = 'Giấy tờ';
const documentParams = Joi.object({ id: objectId.required(), docId: Joi.string().guid().required() });

export function documentRoutes({ config }: AppContext): RouteDef[] {
  const store = new DocumentStore(config.uploadDir);
  const maxMb = Math.round(config.maxUploadBytes / 1024 / 1024);

  return [
    {
      method: 'post',
      path: '/cases/:id/documents',
      tag,
      roles: ['grassroots_officer', 'verifier', 'approver', 'accountant'],
      summary: 'Tải lên một giấy tờ của hồ sơ (multipart: file, type)',
      description:
        `Nhận ${ACCEPTED_DESCRIPTION}, tối đa ${maxMb} MB; định dạng được xác định từ nội dung tệp. ` +
        '`type` là một loại giấy tờ của chương trình hoặc `other`. Người được tải lên tùy bước: công đoàn cơ sở khi lập hồ sơ, ' +
        'công đoàn cấp trên khi thẩm định (biên bản khảo sát), tỉnh và công đoàn cơ sở khi chi trả, bàn giao.',
      bodyType: 'multipart',
      before: singleFileUpload(store, config.maxUploadBytes, 4),
      schemas: {
        params: Joi.object({ id: objectId.required() }),
        body: Joi.object({
          type: Joi.string()
            .pattern(/^[a-z][a-z0-9_]{0,39}$/)
            .required()
            .description('Loại giấy tờ'),
          revision: Joi.number().integer().min(1).description('Nếu gửi: chỉ nhận khi hồ sơ còn ở phiên bản này'),
        }),
      },
      responses: { 201: { description: 'Giấy tờ đã lưu (kèm caseRevision mới)', schema: caseDocumentResponse } },
      handler: async (req, res) => {
        const document = await addDocument(
          store,
          principalOf(req),
          actorOf(req),
          String(req.params.id),
          {
            type: req.body.type,
            revision: revisionOf(req),
          },
          req.file,
        );
        res.status(201).json(document);
      },
    },
    {
      method: 'get',
      path: '/cases/:id/documents/:docId',
      tag,
      summary: 'Tải về (hoặc xem trước) một giấy tờ',
      schemas: {
        params: documentParams,
        query: Joi.object({ disposition: Joi.string().valid('attachment', 'inline').default('attachment') }),
      },
      responses: {
        200: { description: 'Nội dung tệp, với định dạng xác định khi tải lên', contentType: ACCEPTED_MIME_TYPES },
      },
      handler: async (req, res) => {
        const document = await findDocument(principalOf(req), String(req.params.id), String(req.params.docId));
        const { disposition } = validQuery<{ disposition: 'attachment' | 'inline' }>(res);
        const stream = store.open(document.storedName);
        // Headers go out only once the file is open, so a missing file is an error response, not a cut connection.
        await once(stream, 'open');
        res.set(fileResponseHeaders(document, disposition));
        await pipeline(stream, res);
      },
    },
    {
      method: 'delete',
      path: '/cases/:id/documents/:docId',
      tag,
      roles: ['grassroots_officer', 'verifier', 'approver', 'accountant'],
      summary: 'Xóa một giấy tờ (chỉ khi hồ sơ chưa được phê duyệt)',
      schemas: { params: documentParams },
      responses: { 204: { description: 'Đã xóa' } },
      handler: async (req, res) => {
        await removeDocument(
          store,
          principalOf(req),
          actorOf(req),
          String(req.params.id),
          String(req.params.docId),
          revisionOf(req),
        );
        res.status(204).end();
      },
    },
  ];
}
