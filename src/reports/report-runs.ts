import { isObjectIdText, jobsRepository } from '../jobs/index.js';
import { ReportRun } from './reports.model.js';

/** Records looked at per clean-up: a list payment of 50,000 cases leaves 200. */
const AT_ONCE = 10_000;

/**
 * Removes the `applied` records of chunks whose job has ended (the server's periodic clean-up). A record keeps a
 * chunk's report totals from being counted twice if its job is taken up again after a crash; once the job has
 * ended nothing takes it up again. A mark begins with its job's id (`<jobId>:<chunk>`). `applying` records stay:
 * each names a chunk whose totals may be partly counted until `npm run reports:rebuild`. Answers how many went.
 */
export async function purgeSpentReportRuns(): Promise<number> {
  const applied = await ReportRun.find({ state: 'applied' }, { _id: 1 }).limit(AT_ONCE).lean<{ _id: string }[]>();
  const jobOf = (mark: string) => mark.split(':')[0] ?? '';
  const ended = await jobsRepository.endedAmong(
    [...new Set(applied.map((run) => jobOf(run._id)))].filter(isObjectIdText),
  );
  const spent = applied.filter((run) => ended.has(jobOf(run._id))).map((run) => run._id);
  if (spent.length) await ReportRun.deleteMany({ _id: { $in: spent } });
  return spent.length;
}
