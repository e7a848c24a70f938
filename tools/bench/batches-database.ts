/**
 * Lists on the database (SPEC §5 batches, issue 7), run by database.ts on its generated database, the running
 * service and the minimal app (minimal-lists.ts holds the minimal app's side):
 *
 * - import of a BENCH_LIST_ROWS-row XLSX (default 5,000 valid rows, new members) through
 *   `POST /api/v1/batches/import`, beside the minimal app reading the same kind of file with exceljs and inserting
 *   its members and draft cases with two `insertMany`;
 * - approval of a BENCH_BATCH_CASES-case list (default 2,000) through `POST /api/v1/batches/:id/approve`: every
 *   case's single-case approval with its fund commitment, then one decision with the annex PDF. Each run gets
 *   a fresh list, imported, submitted and verified through the API beforehand (untimed). Beside it the minimal
 *   app approving as many verified cases with one fund `$inc`, one `bulkWrite` and the same annex PDF.
 *
 * - verification of a BENCH_BATCH_CASES-case submitted list through `POST /api/v1/batches/:id/verify` (opt-in:
 *   `BENCH_LIST_STEPS=verify`), each run on a fresh list imported and submitted beforehand (untimed), beside the
 *   minimal app marking as many drafts verified with one read and one `bulkWrite`;
 * - payment of a BENCH_BATCH_CASES-case approved list through `POST /api/v1/batches/:id/pay` (one voucher, one
 *   payment per case through the single payment service), beside the minimal app inserting one payment entry per case,
 *   one `bulkWrite` of the cases and one fund `$inc`. The lists the approval benchmark approved are paid first.
 *
 * The sizes default to what a province's Tết campaign asks of one list (SPEC §14): 50,000 imported rows, 20,000
 * approved and paid cases; BENCH_LIST_RUNS (default 1) runs per side. For each step the peak resident memory of the
 * service process and of the minimal app during the step is printed (VmHWM, reset before each run through
 * /proc/PID/clear_refs): the goal is under 1 GB for the service.
 *
 * BENCH_LIST_STEPS (e.g. `import`, or `approve,pay`) runs only the steps named; the payment prepares its own list when
 * the approval did not run.
 *
 * Every run uses CCCDs no other run used, so each imports new members and no row is a duplicate.
 */
import { vnDay } from '../../src/core/shared/dates.js';
import { workbookOf } from './batches.js';
import { call, expectAnswer, expectStatus, upload } from './http.js';
import { cpuMillis, resetPeak, residentBytes } from './process-memory.js';
import { intEnv, median, type Benchmark } from './runner.js';

/** The approval's warm-up: the same steps on a small list (a full one takes as long to prepare as to approve). */
const WARMUP_CASES = 20;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The fund and the campaign budget (the largest the API takes): room for every approval of the bench (gifts of 1–2 million đồng). */
const FUND = 1_000_000_000_000;

export interface ListBenchTarget {
  service: string;
  minimal: string;
  admin: string;
  officer: string;
  password: string;
  provinceId: string;
  union: { id: string; upperId: string };
  /** The two processes, for their peak memory and CPU during each step, and the engine's JVM (null when not found). */
  pids: { service: number; minimal: number; engine: number | null };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const kB = (bytes: number) => `${Math.round(bytes / 1024).toLocaleString('en')} kB`;

/** Peak resident memory of each process during each step's runs (the largest over the runs). */
const peaks = new Map<string, { service: number; minimal: number }>();

/**
 * CPU milliseconds of each run of each step, in the side's own process and in the engine (the two apps share one
 * engine and nothing else runs meanwhile): less noisy than the time when the machine is busy, and it tells where the
 * time went.
 */
const cpus = new Map<string, Record<'service' | 'minimal', { own: number; engine: number }[]>>();

/**
 * Runs `work` with the peak resident size of the side's process reset before, and records under `step` the peak it
 * reached and the CPU its process and the engine used meanwhile.
 */
async function watched<T>(
  step: string,
  side: 'service' | 'minimal',
  pids: ListBenchTarget['pids'],
  work: () => Promise<T>,
): Promise<T> {
  const own = pids[side];
  resetPeak(own);
  const cpu = () => [cpuMillis(own), pids.engine ? cpuMillis(pids.engine) : NaN] as const;
  const before = cpu();
  const answer = await work();
  const after = cpu();
  const entry = peaks.get(step) ?? { service: 0, minimal: 0 };
  entry[side] = Math.max(entry[side], residentBytes(own, 'VmHWM'));
  peaks.set(step, entry);
  const used = cpus.get(step) ?? { service: [], minimal: [] };
  used[side].push({ own: after[0] - before[0], engine: after[1] - before[1] });
  cpus.set(step, used);
  return answer;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** After runBenchmarks: each list step's peak memory, service beside the minimal app, against the 1 GB goal. */
export function printListPeaks(): void {
  console.log('\nPeak resident memory during each list step (VmHWM, reset before each run; goal: service under 1 GB)');
  for (const [step, { service, minimal }] of peaks)
    console.log(
      `  ${step}: service ${mb(service)}${service < 1024 ** 3 ? '' : ' (over 1 GB)'}, minimal app ${mb(minimal)}`,
    );
  console.log('\nCPU during each list step (median over its runs; informational: the goals are the time ratios)');
  for (const [step, sides] of cpus) {
    const of = (side: 'service' | 'minimal') =>
      `${seconds(median(sides[side].map((c) => c.own)))} in its process + ${seconds(median(sides[side].map((c) => c.engine)))} in the engine`;
    console.log(`  ${step}: service ${of('service')}; minimal app ${of('minimal')}`);
  }
}

const dayFromToday = (days: number) => vnDay(new Date(Date.now() + days * 86_400_000));

async function userToken(target: ListBenchTarget, username: string, orgId: string, role: string): Promise<string> {
  await expectStatus(
    `create ${username}`,
    201,
    call('POST', `${target.service}/api/v1/users`, target.admin, {
      username,
      password: target.password,
      fullName: `Người dùng ${username}`,
      orgId,
      roles: [role],
    }),
  );
  const login = await expectStatus(
    `${username} login`,
    200,
    call('POST', `${target.service}/api/v1/auth/login`, null, { username, password: target.password }),
  );
  return String(login.accessToken);
}

export async function listDatabaseBenchmarks(target: ListBenchTarget): Promise<Benchmark[]> {
  const rows = intEnv('BENCH_LIST_ROWS', 50_000, 1, 50_000);
  const listCases = intEnv('BENCH_BATCH_CASES', 20_000, 1, 50_000);
  const runs = intEnv('BENCH_LIST_RUNS', 1, 1, 5);
  const { service, minimal, officer, pids } = target;
  const [verifier, approver, accountant] = [
    await userToken(target, 'bench.verifier', target.union.upperId, 'verifier'),
    await userToken(target, 'bench.approver', target.provinceId, 'approver'),
    await userToken(target, 'bench.accountant', target.provinceId, 'accountant'),
  ];
  const campaign = await expectStatus(
    'create campaign',
    201,
    call('POST', `${service}/api/v1/campaigns`, approver, {
      code: 'BENCH-TET',
      programCode: 'tet_gift',
      name: 'Tết Sum vầy (benchmark)',
      opensAt: dayFromToday(-30),
      closesAt: dayFromToday(60),
      budget: FUND,
    }),
  );
  const fund = await expectStatus(
    'create fund',
    201,
    call('POST', `${service}/api/v1/funds`, accountant, {
      code: 'BENCH-QXH',
      name: 'Quỹ Xã hội (benchmark)',
      kind: 'social_fund',
      year: Number(vnDay().slice(0, 4)),
      allocated: FUND,
    }),
  );
  const [campaignId, fundId] = [String(campaign.id), String(fund.id)];

  let nextCitizenId = 90_000_000_000;
  const newList = (count: number) => {
    const first = nextCitizenId;
    nextCitizenId += count;
    return workbookOf(count, first);
  };
  const serviceImport = async (bytes: Buffer, count: number): Promise<string> => {
    // More than JOB_SYNC_LIMIT rows: 202 and a job (SPEC §14), followed to its end; the time includes the polling.
    const body = await expectAnswer(
      'POST /api/v1/batches/import',
      201,
      upload(
        `${service}/api/v1/batches/import`,
        officer,
        { bytes, name: 'danh-sach-tet.xlsx', type: XLSX },
        { programCode: 'tet_gift', campaignId },
      ),
      service,
      officer,
    );
    const counts = body.counts as { created: number };
    if (counts.created !== count) throw new Error(`the import created ${counts.created} cases of ${count} rows`);
    return String((body.batch as { id: string }).id);
  };
  const minimalImport = async (bytes: Buffer): Promise<string> => {
    const res = await fetch(`${minimal}/lists?orgId=${target.union.id}&campaignId=${campaignId}`, {
      method: 'POST',
      headers: { 'content-type': XLSX },
      body: new Uint8Array(bytes),
    });
    if (res.status !== 201) throw new Error(`minimal POST /lists: ${res.status}`);
    return String(((await res.json()) as { batchId: string }).batchId);
  };
  const batchStep = async (token: string, batchId: string, action: string, body: object = {}) => {
    const answer = await expectAnswer(
      `POST /api/v1/batches/:id/${action}`,
      200,
      call('POST', `${service}/api/v1/batches/${batchId}/${action}`, token, body),
      service,
      token,
    );
    const counts = answer.counts as { ok: number; failed: number };
    if (counts.failed)
      throw new Error(`${action}: ${counts.failed} cases failed: ${JSON.stringify(answer.results).slice(0, 500)}`);
    return answer;
  };
  const serviceSubmitted = async (count: number): Promise<string> => {
    const id = await serviceImport(await newList(count), count);
    const begun = performance.now();
    await batchStep(officer, id, 'submit');
    // Untimed preparation, printed for information (no floor).
    console.log(
      `  (preparation: the list of ${count.toLocaleString('en')} submitted in ${((performance.now() - begun) / 1000).toFixed(2)} s)`,
    );
    return id;
  };
  const serviceVerify = async (id: string, count: number) => {
    const answer = await batchStep(verifier, id, 'verify');
    if ((answer.counts as { ok: number }).ok !== count)
      throw new Error(`the list verify: ${JSON.stringify(answer.counts)}`);
  };
  const serviceList = async (count: number): Promise<string> => {
    const id = await serviceSubmitted(count);
    await serviceVerify(id, count);
    return id;
  };
  /** Lists the approval benchmark approved, in order: the payment benchmark pays them. */
  const approved: string[] = [];
  const serviceApprove = async (id: string, count: number) => {
    const answer = await batchStep(approver, id, 'approve', { fundId });
    const decision = answer.decision as { id: string; caseCount: number } | null;
    if (decision?.caseCount !== count) {
      // What the answer said instead: its counts, the decision's problem and the first cases not approved.
      const notOk = (answer.results as { outcome: string }[]).filter((r) => r.outcome !== 'ok').slice(0, 3);
      const said = JSON.stringify({ counts: answer.counts, decisionProblem: answer.decisionProblem, notOk });
      throw new Error(`the approval issued ${JSON.stringify(decision)}, not one decision for ${count} cases: ${said}`);
    }
    // Both sides draw the same annex (the floor's rows name each case's union too): their files' sizes show it.
    if (count === listCases) {
      const issued = await expectStatus(
        'GET /api/v1/decisions/:id',
        200,
        call('GET', `${service}/api/v1/decisions/${decision.id}`, approver),
      );
      console.log(`  (the service's decision PDF: ${kB((issued.pdf as { size: number }).size)})`);
    }
  };
  let voucher = 0;
  const servicePay = async (id: string, count: number) => {
    voucher += 1;
    const answer = await expectAnswer(
      'POST /api/v1/batches/:id/pay',
      201,
      call(
        'POST',
        `${service}/api/v1/batches/${id}/pay`,
        accountant,
        { method: 'cash', paidAt: vnDay(), voucherNo: `PC-BENCH-${voucher}` },
        { 'idempotency-key': `bench-pay-${id}` },
      ),
      service,
      accountant,
    );
    const counts = answer.counts as { paid: number };
    if (counts.paid !== count) throw new Error(`the list payment paid ${counts.paid} cases of ${count}`);
  };
  const minimalVerify = async (id: string, count: number) => {
    const verified = await expectStatus('minimal verify', 200, call('POST', `${minimal}/lists/${id}/verify`, null));
    if (verified.verified !== count)
      throw new Error(`the minimal app verified ${String(verified.verified)} of ${count}`);
  };
  const minimalList = async (count: number): Promise<string> => {
    const id = await minimalImport(await newList(count));
    await minimalVerify(id, count);
    return id;
  };
  const minimalApprove = async (id: string, count = listCases) => {
    const answer = await expectStatus(
      'minimal approve',
      200,
      call('POST', `${minimal}/lists/${id}/approve`, null, { fundId }),
    );
    if (count === listCases) console.log(`  (the minimal app's decision PDF: ${kB(Number(answer.pdfBytes))})`);
  };
  const minimalPay = async (id: string, count: number) => {
    const paid = await expectStatus('minimal pay', 200, call('POST', `${minimal}/lists/${id}/pay`, null, { fundId }));
    if (paid.paid !== count) throw new Error(`the minimal app paid ${String(paid.paid)} cases of ${count}`);
  };
  const importStep = `import of ${rows.toLocaleString('en')} rows`;
  const verifyStep = `verification of ${listCases.toLocaleString('en')} cases`;
  const approveStep = `approval of ${listCases.toLocaleString('en')} cases`;
  const payStep = `payment of ${listCases.toLocaleString('en')} cases`;

  let file: Buffer = Buffer.alloc(0);
  let batchId = '';
  const benchmarks: (Benchmark & { step: ListStep })[] = [
    {
      step: 'import',
      name: `List import, ${rows.toLocaleString('en')}-row XLSX of new members into the database (POST /api/v1/batches/import)`,
      runs,
      items: { count: rows, unit: 'rows' },
      baseline: {
        name: 'minimal app: exceljs + insertMany of members and drafts',
        prepare: async () => (file = await newList(rows)),
        run: () => watched(importStep, 'minimal', pids, () => minimalImport(file)),
      },
      subject: {
        name: 'service import',
        prepare: async () => (file = await newList(rows)),
        run: () => watched(importStep, 'service', pids, () => serviceImport(file, rows)),
      },
    },
    {
      step: 'verify',
      name: `List verify, ${listCases.toLocaleString('en')} submitted cases (POST /api/v1/batches/:id/verify)`,
      runs,
      items: { count: listCases, unit: 'cases' },
      baseline: {
        name: 'minimal app: one read, one bulkWrite',
        prepare: async () => (batchId = await minimalImport(await newList(listCases))),
        run: () => watched(verifyStep, 'minimal', pids, () => minimalVerify(batchId, listCases)),
      },
      subject: {
        name: 'service list verify',
        warmup: async () => serviceVerify(await serviceSubmitted(WARMUP_CASES), WARMUP_CASES),
        prepare: async () => (batchId = await serviceSubmitted(listCases)),
        run: () => watched(verifyStep, 'service', pids, () => serviceVerify(batchId, listCases)),
      },
    },
    {
      step: 'approve',
      name: `List approval, ${listCases.toLocaleString('en')} verified cases, one decision with its annex (POST /api/v1/batches/:id/approve)`,
      runs,
      items: { count: listCases, unit: 'cases' },
      baseline: {
        name: 'minimal app: one fund $inc, one bulkWrite, the annex PDF',
        warmup: async () => minimalApprove(await minimalList(WARMUP_CASES), WARMUP_CASES),
        prepare: async () => (batchId = await minimalList(listCases)),
        run: () => watched(approveStep, 'minimal', pids, () => minimalApprove(batchId)),
      },
      subject: {
        name: 'service approval',
        warmup: async () => serviceApprove(await serviceList(WARMUP_CASES), WARMUP_CASES),
        prepare: async () => (batchId = await serviceList(listCases)),
        run: () =>
          watched(approveStep, 'service', pids, async () => {
            await serviceApprove(batchId, listCases);
            approved.push(batchId);
          }),
      },
    },
    {
      step: 'pay',
      name: `List payment, ${listCases.toLocaleString('en')} approved cases under one voucher (POST /api/v1/batches/:id/pay)`,
      runs,
      items: { count: listCases, unit: 'cases' },
      baseline: {
        name: 'minimal app: insertMany of the payments, one bulkWrite, one fund $inc',
        prepare: async () => {
          batchId = await minimalList(listCases);
          await minimalApprove(batchId);
        },
        run: () => watched(payStep, 'minimal', pids, () => minimalPay(batchId, listCases)),
      },
      subject: {
        name: 'service list payment',
        prepare: async () => {
          const ready = approved.shift();
          if (ready) batchId = ready;
          else await serviceApprove((batchId = await serviceList(listCases)), listCases);
        },
        run: () => watched(payStep, 'service', pids, () => servicePay(batchId, listCases)),
      },
    },
  ];
  const steps = listSteps();
  return benchmarks.filter((b) => steps.includes(b.step));
}

type ListStep = 'import' | 'verify' | 'approve' | 'pay';
const LIST_STEPS: readonly ListStep[] = ['import', 'verify', 'approve', 'pay'];
/** What runs when BENCH_LIST_STEPS names nothing (the verify step is asked for by name). */
const DEFAULT_STEPS: readonly ListStep[] = ['import', 'approve', 'pay'];

/** BENCH_LIST_STEPS: the list steps to run, comma-separated (default `import,approve,pay`; `verify` by name). */
function listSteps(): readonly ListStep[] {
  const named = (process.env.BENCH_LIST_STEPS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = named.filter((s) => !LIST_STEPS.includes(s as ListStep));
  if (unknown.length)
    throw new Error(`BENCH_LIST_STEPS: unknown step ${unknown.join(', ')} (known: ${LIST_STEPS.join(', ')})`);
  return named.length ? (named as ListStep[]) : DEFAULT_STEPS;
}
