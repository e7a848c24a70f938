import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { UnsupportedMediaTypeError, ValidationError } from '../core/errors.js';
import type { Actor } from '../core/scope.js';
import type { DocumentStore } from './documents.storage.js';
import { ACCEPTED_DESCRIPTION, cleanFileName, nameForType, sniffAccepted } from './file-types.js';

/**
 * One way files come in, for a case's papers and a payment's receipts alike (SPEC §9): multer writes one
 * `file` part into the store's temp folder, the type is read from the bytes, the file is kept under a
 * generated name with its SHA-256, and the temp file is gone when the response ends, whatever happened.
 */
export interface UploadedFile {
  path: string;
  originalname: string;
}

export interface StoredFile {
  id: string;
  originalName: string;
  mimeType: string;
  size: number;
  sha256: string;
  storedName: string;
  uploadedBy: { id: string; name: string };
  uploadedAt: Date;
}

/** The temp file of a request is removed when its response ends (a kept file was moved away before). */
function removeTempFileOnClose(store: DocumentStore): RequestHandler {
  return (req, res, next) => {
    res.on('close', () => {
      const path = (req as Request & { file?: { path: string } }).file?.path;
      if (path) void store.remove(path);
    });
    next();
  };
}

/**
 * Busboy reports a body that is not well-formed multipart (no boundary, a malformed part header, a cut-off
 * form) as a plain Error: the client's mistake, so 400, not 500. Disk errors (with a `code`) stay 500.
 */
const MALFORMED_MULTIPART =
  /^(Malformed part header|Malformed content type|Unexpected end of (form|file)|Multipart: Boundary not found)$/;

function malformedBodyAs400(error: unknown): unknown {
  if (
    error instanceof Error &&
    !(error instanceof multer.MulterError) &&
    !('code' in error) &&
    MALFORMED_MULTIPART.test(error.message)
  ) {
    return new ValidationError(
      [{ path: 'body', message: 'Nội dung multipart/form-data không đúng định dạng' }],
      'Nội dung tải lên không đúng định dạng multipart/form-data.',
    );
  }
  return error;
}

/** The middleware of an upload route: one `file` part of at most `maxBytes`, and at most `fields` text fields. */
export function singleFileUpload(store: DocumentStore, maxBytes: number, fields: number): RequestHandler[] {
  const upload = multer({
    dest: store.incoming,
    defParamCharset: 'utf8',
    limits: { fileSize: maxBytes, files: 1, fields, fieldSize: 1024, parts: fields + 2 },
  } as multer.Options);
  return [
    removeTempFileOnClose(store),
    async (req, res, next) => {
      await store.prepare();
      upload.single('file')(req, res, (error?: unknown) => next(malformedBodyAs400(error)));
    },
  ];
}

/** Checks the bytes of an uploaded file and keeps it; 400 without a file, 415 for a type we do not take. */
export async function keepUploadedFile(
  store: DocumentStore,
  file: UploadedFile | undefined,
  actor: Actor,
): Promise<StoredFile> {
  if (!file) throw new ValidationError([{ path: 'file', message: 'Cần chọn tệp để tải lên' }]);
  const sniffed = await sniffAccepted(file.path);
  if (!sniffed)
    throw new UnsupportedMediaTypeError(
      `Chỉ nhận tệp ${ACCEPTED_DESCRIPTION}; nội dung tệp không thuộc các định dạng này.`,
    );
  const sha256 = await store.sha256(file.path);
  const storedName = await store.keep(file.path, sniffed.extension);
  return {
    id: randomUUID(),
    originalName: nameForType(cleanFileName(file.originalname), sniffed.mimeType),
    mimeType: sniffed.mimeType,
    size: (await stat(store.pathOf(storedName))).size,
    sha256,
    storedName,
    uploadedBy: { id: actor.userId, name: actor.name },
    uploadedAt: new Date(),
  };
}
