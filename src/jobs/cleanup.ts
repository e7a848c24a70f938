import { jobsRepository } from './jobs.repository.js';
import { resultStore } from './result-store.js';

/**
 * Removes the result files no job will ever read (the server's periodic clean-up): files of an ended job other
 * than the one it names (an instance killed between writing its file and finishing the job left it; the instance
 * that finished wrote its own). A file of a job still queued or running is kept: it may be the one its finish is
 * about to name. Answers how many files were removed.
 */
export async function purgeLeftJobResults(): Promise<number> {
  const files = await resultStore.files();
  const ended = await jobsRepository.endedAmong([...new Set(files.map((f) => f.jobId))].filter(isObjectIdText));
  let removed = 0;
  for (const { fileId, jobId } of files) {
    const job = ended.get(jobId);
    if (!job || job.resultFile === String(fileId)) continue;
    await resultStore.remove(fileId);
    removed += 1;
  }
  return removed;
}

/** The id of a job as marks and metadata write it (24 hex digits). */
export function isObjectIdText(text: string): boolean {
  return /^[0-9a-f]{24}$/.test(text);
}
