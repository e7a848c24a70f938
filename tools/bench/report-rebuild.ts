/**
 * The report rebuild as a job (`POST /api/v1/reports/rebuild` on the running service, src/reports/rebuild-job.ts)
 * beside its floor in the same run: reading once, in this process, every submitted case and every settled entry
 * with the fields the rebuild reads. The job also writes its marks and the new generation and waits
 * `REPORT_REBUILD_DRAIN_MS` (default 5 s) three times. It runs last: it moves the report totals to a new
 * generation (`report_totals_g<n>`), which the bare floors of the summary do not follow.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose from 'mongoose';
import { call, expectStatus } from './http.js';
import type { Benchmark } from './runner.js';

const CASE_FIELDS = { orgId: 1, orgPath: 1, programCode: 1, subtype: 1, reportSubtype: 1, campaignId: 1, status: 1 };
const MORE_CASE_FIELDS = { submittedDay: 1, approvedDay: 1, approvedAmount: 1, fundAllocations: 1, history: 1 };
const ENTRY_FIELDS = { caseId: 1, kind: 1, status: 1, amount: 1, paidAt: 1, fundId: 1, memberId: 1, orgPath: 1 };

async function readAll(): Promise<number> {
  const db = mongoose.connection.db!;
  let count = 0;
  const cases = db
    .collection('cases')
    .find({ submittedDay: { $ne: null } }, { projection: { ...CASE_FIELDS, ...MORE_CASE_FIELDS } });
  for await (const _ of cases) count += 1;
  const entries = db
    .collection('disbursements')
    .find({ status: { $in: ['paid', 'reversed', 'reversal'] } }, { projection: ENTRY_FIELDS });
  for await (const _ of entries) count += 1;
  return count;
}

async function rebuild(base: string, admin: string): Promise<void> {
  const job = await expectStatus(
    'POST /reports/rebuild',
    202,
    call('POST', `${base}/api/v1/reports/rebuild`, admin, {}),
  );
  for (;;) {
    await sleep(500);
    const now = await expectStatus('GET /jobs/:id', 200, call('GET', `${base}/api/v1/jobs/${String(job.id)}`, admin));
    if (now.status === 'succeeded') return;
    if (now.status !== 'running' && now.status !== 'queued')
      throw new Error(`the rebuild ended ${String(now.status)}: ${JSON.stringify(now.error)}`);
  }
}

export async function reportRebuildBenchmarks(base: string, admin: string): Promise<Benchmark[]> {
  const items = await readAll();
  return [
    {
      name: `Report rebuild as a job (POST /api/v1/reports/rebuild, service serving), ${items.toLocaleString('en')} cases and entries`,
      runs: 1,
      items: { count: items, unit: 'records' },
      baseline: { name: 'reading every submitted case and settled entry once', run: readAll },
      subject: { name: 'rebuild job', run: () => rebuild(base, admin) },
    },
  ];
}
