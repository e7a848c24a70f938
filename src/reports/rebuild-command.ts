/**
 * `npm run reports:rebuild`: the report totals made again from the cases and payment entries, by the same job
 * as `POST /api/v1/reports/rebuild` (rebuild-job.ts), queued on behalf of the national administrator and run
 * by a runner in this process. On MongoDB it may run while the service serves (an instance of the service may
 * take the job up; this command then waits for it). Without MONGODB_URI it opens the embedded database under
 * DATA_DIR, which is locked while the service runs: stop the service first, or call the endpoint instead.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { JobRunner, jobsRepository, runnerSettings } from '../jobs/index.js';
import { openDatabase } from '../server.js';
import { queueRebuild, REBUILD_JOB, rebuildInProgress, registerRebuildJob } from './rebuild-job.js';
import { checkReportTotals } from './totals.rebuild.js';

const config = loadConfig();
const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
const database = await openDatabase(config, logger);
const say = (line: string) => process.stdout.write(`${line}\n`);
let exitCode = 0;
try {
  registerRebuildJob({ drainMs: config.jobs.reportDrainMs, chunk: config.jobs.reportChunk, chunkDelayMs: 0 });
  if ((await rebuildInProgress()) || (await jobsRepository.anyActive(REBUILD_JOB))) {
    say('Đang có một lần tính lại tổng báo cáo khác chạy; hãy đợi nó kết thúc.');
    exitCode = 1;
  } else {
    const started = Date.now();
    const job = await queueRebuild({});
    if (!job) throw new Error('no active national administrator to run the rebuild on behalf of');
    const runner = new JobRunner({ ...runnerSettings({ config, logger }), pollMs: 200, itemDelayMs: 0 });
    runner.start();
    let current = job;
    while (!jobsRepository.isFinal(current.status)) {
      await sleep(2000);
      current = (await jobsRepository.findById(job._id))!;
      say(`Công việc ${String(job._id)}: ${current.status}, ${current.progress.done}/${current.progress.total}`);
    }
    await runner.stop();
    const check = await checkReportTotals();
    say(
      `Tính lại tổng báo cáo: ${current.status} trong ${((Date.now() - started) / 1000).toFixed(1)} s` +
        `${current.result ? ` (${JSON.stringify(current.result)})` : ''}; ` +
        `${check.differences.length ? `còn ${check.differences.length} chênh lệch` : 'khớp với dữ liệu gốc'}.`,
    );
    exitCode = current.status === 'succeeded' && !check.differences.length ? 0 : 1;
  }
} finally {
  await database.close();
}
process.exit(exitCode);
