import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

/**
 * Uploaded files live under UPLOAD_DIR with generated names (`2026/08/<uuid>.pdf`), outside anything served
 * statically. Multer writes into `UPLOAD_DIR/.incoming` first, on the same disk, so keeping a checked
 * file is a rename.
 */
export class DocumentStore {
  readonly root: string;
  readonly incoming: string;

  constructor(uploadDir: string) {
    this.root = resolve(uploadDir);
    this.incoming = join(this.root, '.incoming');
  }

  async prepare(): Promise<void> {
    await mkdir(this.incoming, { recursive: true });
  }

  async sha256(path: string): Promise<string> {
    const hash = createHash('sha256');
    await pipeline(createReadStream(path), hash);
    return hash.digest('hex');
  }

  /** Moves a checked temp file into the store; answers the name kept on the case. */
  async keep(tempPath: string, extension: string, now = new Date()): Promise<string> {
    const storedName = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${randomUUID()}.${extension}`;
    const target = this.pathOf(storedName);
    await mkdir(dirname(target), { recursive: true });
    await rename(tempPath, target);
    return storedName;
  }

  /** Refuses any stored name that would lead outside the store. */
  pathOf(storedName: string): string {
    const path = resolve(this.root, storedName);
    if (!path.startsWith(this.root + sep)) throw new Error(`stored name outside the store: ${storedName}`);
    return path;
  }

  open(storedName: string) {
    return createReadStream(this.pathOf(storedName));
  }

  async remove(path: string): Promise<void> {
    await rm(path, { force: true });
  }
}
