import mongoose from 'mongoose';
import { gridfsBucket } from '../core/db/gridfs.js';

/**
 * A job's `result` too large for its document (SPEC §14: `result` is the synchronous answer, per-case outcomes
 * included). A list payment of 50,000 cases answers about 20 MB of JSON, beyond MongoDB's 16 MB per document, so
 * a result above `JOB_RESULT_INLINE_BYTES` is kept as its JSON text in GridFS (bucket `job_results`) and the job
 * names the file. Each save is a new file: an instance that lost its lease while saving never writes into the
 * file of the instance that took over. GridFS works alike on MongoDB and on the embedded engine (ENGINE-NOTES.md).
 */
const BUCKET = 'job_results';

const bucket = () => gridfsBucket(BUCKET);

export const resultStore = {
  async save(jobId: mongoose.Types.ObjectId, json: string): Promise<mongoose.Types.ObjectId> {
    const fileId = new mongoose.Types.ObjectId();
    await new Promise<void>((resolve, reject) => {
      const upload = bucket().openUploadStreamWithId(fileId, `${String(jobId)}.json`, {
        metadata: { jobId, contentType: 'application/json' },
      });
      upload.once('finish', () => resolve());
      upload.once('error', reject);
      upload.end(Buffer.from(json, 'utf8'));
    }).catch(async (error: unknown) => {
      await resultStore.remove(fileId);
      throw error;
    });
    return fileId;
  },
  async read(fileId: mongoose.Types.ObjectId): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const chunk of bucket().openDownloadStream(fileId)) chunks.push(chunk as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  },
  /** Every kept result file with the job it was written for (the bucket holds a few files per long job). */
  async files(): Promise<{ fileId: mongoose.Types.ObjectId; jobId: string }[]> {
    const files = await bucket()
      .find({}, { projection: { _id: 1, metadata: 1 } })
      .toArray();
    return files.map((file) => ({
      fileId: file._id as mongoose.Types.ObjectId,
      jobId: String((file.metadata as { jobId?: unknown } | undefined)?.jobId ?? ''),
    }));
  },
  /** Gone already is fine. */
  async remove(fileId: mongoose.Types.ObjectId): Promise<void> {
    await bucket()
      .delete(fileId)
      .catch(() => undefined);
  },
};
