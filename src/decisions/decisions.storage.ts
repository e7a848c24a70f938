import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import type { Readable } from 'node:stream';

/**
 * Decision PDFs live in GridFS in the same database as the decisions (bucket `decision_pdfs`): they are
 * backed up, replicated and shared by every instance together with the records that point at them, and
 * GridFS works alike on MongoDB and on the embedded engine (ENGINE-NOTES.md).
 */
const BUCKET = 'decision_pdfs';

function bucket(): mongoose.mongo.GridFSBucket {
  const db = mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  return new mongoose.mongo.GridFSBucket(db, { bucketName: BUCKET });
}

export interface StoredPdf {
  fileId: mongoose.Types.ObjectId;
  sha256: string;
  size: number;
}

export function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export const pdfStore = {
  async save(bytes: Buffer, filename: string, decisionId: mongoose.Types.ObjectId): Promise<StoredPdf> {
    const fileId = new mongoose.Types.ObjectId();
    const sha256 = sha256Of(bytes);
    await new Promise<void>((resolve, reject) => {
      const upload = bucket().openUploadStreamWithId(fileId, filename, {
        metadata: { decisionId, sha256, contentType: 'application/pdf' },
      });
      upload.once('finish', () => resolve());
      upload.once('error', reject);
      upload.end(bytes);
    });
    return { fileId, sha256, size: bytes.length };
  },
  open(fileId: mongoose.Types.ObjectId): Readable {
    return bucket().openDownloadStream(fileId);
  },
  async read(fileId: mongoose.Types.ObjectId): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.open(fileId)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  },
  /** A file whose decision kept another one (a lost race), never a file a decision points at. */
  async remove(fileId: mongoose.Types.ObjectId): Promise<void> {
    await bucket()
      .delete(fileId)
      .catch(() => undefined);
  },
};
