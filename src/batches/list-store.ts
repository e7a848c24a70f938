import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import mongoose from 'mongoose';
import { gridfsBucket } from '../core/db/gridfs.js';

/**
 * An uploaded list kept while its import runs as a job (SPEC §14): in GridFS (bucket `list_uploads`) in the
 * service's database, so that whichever instance takes the job up can read it, also after the instance that
 * took the upload died. GridFS works alike on MongoDB and on the embedded engine (ENGINE-NOTES.md). The file is
 * removed when the job ends; only its SHA-256 stays, on the batch.
 */
const BUCKET = 'list_uploads';

const bucket = () => gridfsBucket(BUCKET);

export const listStore = {
  /**
   * Streams the upload's temp file into GridFS; answers the stored file's id. A failed save removes the chunks it
   * wrote (GridFS writes them before the file's document, and `delete` removes chunks without one too).
   */
  async save(path: string, metadata: Record<string, unknown>): Promise<mongoose.Types.ObjectId> {
    const fileId = new mongoose.Types.ObjectId();
    await new Promise<void>((resolve, reject) => {
      const upload = bucket().openUploadStreamWithId(fileId, String(fileId), { metadata });
      upload.once('finish', () => resolve());
      upload.once('error', reject);
      createReadStream(path).once('error', reject).pipe(upload);
    }).catch(async (error: unknown) => {
      await listStore.remove(String(fileId));
      throw error;
    });
    return fileId;
  },
  /** The file's bytes as they are read from GridFS, a chunk (255 kB) at a time. */
  open(fileId: string): Readable {
    return bucket().openDownloadStream(new mongoose.Types.ObjectId(fileId));
  },
  /** Gone already (a job finishing again after a crash) is fine. */
  async remove(fileId: string): Promise<void> {
    await bucket()
      .delete(new mongoose.Types.ObjectId(fileId))
      .catch(() => undefined);
  },
};
