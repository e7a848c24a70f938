import Joi from 'joi';
import { isoDateTime } from '../core/http/common-schemas.js';

/** A kept upload as answered to clients (the stored file name stays private). */
export const storedFileResponse = Joi.object({
  id: Joi.string().description('Mã tệp (UUID)'),
  originalName: Joi.string(),
  mimeType: Joi.string().description('Định dạng xác định từ nội dung tệp'),
  size: Joi.number().integer(),
  sha256: Joi.string().pattern(/^[0-9a-f]{64}$/),
  uploadedBy: Joi.object({ id: Joi.string(), name: Joi.string() }),
  uploadedAt: isoDateTime,
});

export const caseDocumentResponse = storedFileResponse.keys({
  type: Joi.string().description('Loại giấy tờ'),
  statusAtUpload: Joi.string().description('Trạng thái hồ sơ khi tải lên'),
  caseRevision: Joi.number().integer().description('Phiên bản mới của hồ sơ'),
});
