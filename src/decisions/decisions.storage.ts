import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import mongoose from 'mongoose';
import { gridfsBucket } from '../core/db/gridfs.js';

/**
 * Decision PDFs live in GridFS in the same database as the decisions (bucket `decision_pdfs`): they are
 * backed up, replicated and shared by every instance together with the records that point at them, and
 * GridFS works alike on MongoDB and on the embedded engine (ENGINE-NOTES.md).
 */
const BUCKET = 'decision_pdfs';

const bucket = () => gridfsBucket(BUCKET);

export interface StoredPdf {
  fileId: mongoose.Types.ObjectId;
  sha256: string;
  size: number;
}

/** Passes the bytes on unchanged, hashing and counting them on the way. */
function measuring(): { through: Transform; digest: () => { sha256: string; size: number } } {
  const hash = createHash('sha256');
  let size = 0;
  const through = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  return { through, digest: () => ({ sha256: hash.digest('hex'), size }) };
}

export const pdfStore = {
  /**
   * Stores a PDF as it is rendered: the renderer's stream is piped into the GridFS upload (255 kB chunks,
   * written as they fill) through a hash, so the whole file is never in memory. A failure on either side
   * removes what was written.
   */
  async save(pdf: Readable, filename: string, decisionId: mongoose.Types.ObjectId): Promise<StoredPdf> {
    const fileId = new mongoose.Types.ObjectId();
    const { through, digest } = measuring();
    const upload = bucket().openUploadStreamWithId(fileId, filename, {
      metadata: { decisionId, contentType: 'application/pdf' },
    });
    try {
      await pipeline(pdf, through, upload);
    } catch (error) {
      await this.remove(fileId);
      throw error;
    }
    const { sha256, size } = digest();
    // The hash is known only at the end; the file's metadata carries it as before (the decision holds it too).
    await mongoose.connection
      .db!.collection(`${BUCKET}.files`)
      .updateOne({ _id: fileId }, { $set: { 'metadata.sha256': sha256 } });
    return { fileId, sha256, size };
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
