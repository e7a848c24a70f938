import { jobsRepository, WORK_DROPPED_WHEN } from './jobs.repository.js';
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

/**
 * Drops the items and item outcomes of jobs that ended with their result (the server's periodic clean-up): the
 * runner drops them as it finishes a job, but a crash or an error right after the finish leaves them, as does an
 * instance that lost a job without knowing and recorded outcomes after it ended. Jobs still queued or running, and
 * failed jobs (`WORK_DROPPED_WHEN`), keep theirs. Answers how many jobs' work was dropped.
 */
export async function purgeEndedJobWork(): Promise<number> {
  const ids = await jobsRepository.jobsWithWork();
  const ended = await jobsRepository.endedAmong(ids, WORK_DROPPED_WHEN);
  for (const id of ids) if (ended.has(String(id))) await jobsRepository.dropWork(id);
  return ended.size;
}

/** The id of a job as marks and metadata write it (24 hex digits). */
export function isObjectIdText(text: string): boolean {
  return /^[0-9a-f]{24}$/.test(text);
}
