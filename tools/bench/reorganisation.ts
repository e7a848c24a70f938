/**
 * Reorganisation benchmarks (issue 16, SPEC §13/§14), on a generated database (generate.ts, BENCH_REORG_CASES
 * cases, by default BENCH_CASES, itself 200,000 by default), in this process, through the same path as the API:
 * the service plans and claims the operation (`startMove` / `startDissolve`), then runs it as its job
 * (`runJob`, the job kind of `reorganisation-jobs.ts`, the executor inside). Each beside a bare `updateMany` of
 * the chain of ancestors (`orgPath`) over the same documents:
 *
 * - moving one grassroots union with BENCH_REORG_MEMBERS members (default 5,000) and BENCH_REORG_UNION_CASES
 *   cases (default 20,000) from one upper union to another (each run moves it back again: it alternates);
 *   the floor `$set`s the new chain on every document of the union in every collection that carries one;
 * - dissolving an upper union of BENCH_REORG_GRASSROOTS grassroots unions (default 100, the Hà Tĩnh shape),
 *   each with BENCH_REORG_DISSOLVE_MEMBERS members (default 20) and BENCH_REORG_DISSOLVE_CASES cases (default
 *   50), into its province; every run gets a fresh upper union of that shape (untimed); the floor `$pull`s the
 *   upper union from the chain of every document under it.
 *
 * `npm run bench` runs them last among the database benchmarks (database.ts), on its database. Alone, on a
 * database of their own: `npx tsx tools/bench/reorganisation.ts`.
 */
import '../../src/app.js';
import { fileURLToPath } from 'node:url';
import mongoose, { Types } from 'mongoose';
import { createLogger } from '../../src/core/logger.js';
import { jobsRepository, runJob } from '../../src/jobs/index.js';
import { registerReorganisationJobs, reorganisationJobKind } from '../../src/reorganisation/reorganisation-jobs.js';
import { operationJSON } from '../../src/reorganisation/operation-json.js';
import { startDissolve, startMove } from '../../src/reorganisation/reorganisation.service.js';
import type { OperationDoc } from '../../src/reorganisation/reorganisation.model.js';
import { PATH_COLLECTIONS } from '../../src/reorganisation/subtree-move.js';
import type { Principal } from '../../src/core/scope.js';
import { benchCases, generateDatabase, type GeneratedDatabase } from './generate.js';
import { intEnv, runBenchmarks, type Benchmark } from './runner.js';

const INSERT_BATCH = 5_000;
const EFFECTIVE = '2025-07-01';
const REASON = 'Benchmark: tổ chức lại theo chính quyền địa phương hai cấp';
type Doc = Record<string, unknown> & { _id: Types.ObjectId };

const raw = (name: string) => mongoose.connection.collection(name);
/** The collections that carry a chain, typed for the floor's updates. */
const chains = (name: string) => mongoose.connection.db!.collection<{ orgPath: Types.ObjectId[] }>(name);
const oid = (id: string) => new Types.ObjectId(id);
let serial = 0;
const next = () => (serial += 1);

async function insertAll(name: string, docs: Doc[]): Promise<void> {
  for (let i = 0; i < docs.length; i += INSERT_BATCH)
    await raw(name).insertMany(docs.slice(i, i + INSERT_BATCH), { ordered: false });
}

/** Templates taken from the generated data, so that the added documents have the generated ones' shape and size. */
interface Templates {
  org: Doc;
  member: Doc;
  case: Doc;
}

async function templates(db: GeneratedDatabase): Promise<Templates> {
  const union = db.provinces[0]!.grassroots[0]!;
  const [org, member, kase] = await Promise.all([
    raw('orgs').findOne({ _id: oid(union.id) }),
    raw('members').findOne({ orgId: oid(union.id) }),
    raw('cases').findOne({ orgId: oid(union.id) }),
  ]);
  if (!org || !member || !kase) throw new Error('the generated database has no union with members and cases');
  return { org: org as Doc, member: member as Doc, case: kase as Doc };
}

/** A new organisation under `parent`, and (grassroots) its members and cases, written with insertMany. */
async function addOrg(t: Templates, parent: Doc, level: 'upper' | 'grassroots', members = 0, cases = 0): Promise<Doc> {
  const _id = new Types.ObjectId();
  const n = next();
  const orgPath = [...(parent.orgPath as Types.ObjectId[]), _id];
  const org: Doc = {
    ...t.org,
    _id,
    code: `BENCH-REORG-${n}`,
    name: `Công đoàn ${level === 'upper' ? 'cấp trên' : 'cơ sở'} số ${n} (tổ chức lại)`,
    level,
    parentId: parent._id,
    parentName: parent.name,
    orgPath,
    status: 'active',
    active: true,
    history: [],
  };
  await raw('orgs').insertOne(org);
  const memberDocs: Doc[] = Array.from({ length: members }, (_, i) => {
    const { unionCardNo: _card, ...rest } = t.member;
    return {
      ...rest,
      _id: new Types.ObjectId(),
      citizenId: `9${String(n).padStart(5, '0')}${String(i).padStart(6, '0')}`,
      orgId: _id,
      orgPath,
    };
  });
  await insertAll('members', memberDocs);
  const caseDocs: Doc[] = Array.from({ length: cases }, (_, i) => ({
    ...t.case,
    _id: new Types.ObjectId(),
    code: `BENCH-R${n}-${i}`,
    orgId: _id,
    orgPath,
    memberId: memberDocs[i % Math.max(1, members)]?._id ?? t.case.memberId,
  }));
  await insertAll('cases', caseDocs);
  return org;
}

async function readOrg(id: Types.ObjectId): Promise<Doc> {
  return (await raw('orgs').findOne({ _id: id })) as Doc;
}

/** The national administrator of the generated database, as the API would see them. */
async function nationalAdmin(): Promise<Principal> {
  const user = await raw('users').findOne({ username: 'admin' });
  if (!user) throw new Error('no admin user');
  return {
    userId: String(user._id),
    username: 'admin',
    fullName: String(user.fullName),
    orgId: String(user.orgId),
    orgPath: (user.orgPath as Types.ObjectId[]).map(String),
    roles: ['admin'],
  };
}

/** The API's path without HTTP: the operation planned and claimed, then its job run here under a lease. */
async function asJob(principal: Principal, op: OperationDoc): Promise<void> {
  const json = operationJSON(op);
  const { job, lease } = await jobsRepository.insert(
    {
      kind: reorganisationJobKind(op.kind),
      createdBy: { id: principal.userId, name: principal.fullName },
      orgPath: principal.orgPath.map(oid),
      input: { operationId: json.id, orgId: json.orgId, params: json.params },
      itemKeys: [json.id],
      total: json.progress.total,
    },
    { owner: 'bench', until: new Date(Date.now() + 60 * 60_000) },
  );
  const ran = await runJob(job, lease!, {
    leaseMs: 60 * 60_000,
    pollMs: 1000,
    itemDelayMs: 0,
    retryMs: 15_000,
    resultInlineBytes: 1024 * 1024,
    logger: createLogger('warn'),
  });
  if (ran.error) throw ran.error;
  if (ran.job.status !== 'succeeded') throw new Error(`the reorganisation job ended ${ran.job.status}`);
}

export async function reorganisationBenchmarks(db: GeneratedDatabase, runs: number): Promise<Benchmark[]> {
  registerReorganisationJobs({});
  const t = await templates(db);
  const principal = await nationalAdmin();
  const actor = { userId: principal.userId, name: principal.fullName, requestId: 'bench' };
  const province = await readOrg(oid(db.provinces[0]!.id));
  const upperIds = [...new Set(db.provinces[0]!.grassroots.map((g) => g.upperId))];
  const [upperA, upperB] = await Promise.all([readOrg(oid(upperIds[0]!)), readOrg(oid(upperIds[1]!))]);

  // 1. One big grassroots union, moved between two upper unions.
  const members = intEnv('BENCH_REORG_MEMBERS', 5_000, 1, 100_000);
  const unionCases = intEnv('BENCH_REORG_UNION_CASES', 20_000, 1, 500_000);
  const union = await addOrg(t, upperA, 'grassroots', members, unionCases);
  const uppers = [upperA, upperB];
  let at = 0;
  const move: Benchmark = {
    name: `Move of one grassroots union with ${members.toLocaleString('en')} members and ${unionCases.toLocaleString('en')} cases to another upper union (a job, as the API runs it)`,
    runs,
    subject: {
      name: 'move (plan, claim, job, every step)',
      run: async () => {
        const to = uppers[1 - at]!;
        await asJob(
          principal,
          await startMove(
            principal,
            actor,
            String(union._id),
            { parentId: String(to._id), effectiveDate: EFFECTIVE, reason: REASON },
            { run: 'later' },
          ),
        );
        at = 1 - at;
      },
    },
    baseline: {
      name: 'bare updateMany $set of orgPath per collection',
      // The union stays where the subject left it; the floor re-chains its documents to the other upper union and back (untimed).
      prepare: async () => {
        await Promise.all(
          PATH_COLLECTIONS.map((name) =>
            raw(name).updateMany(
              { orgPath: union._id },
              { $set: { orgPath: [...(uppers[at]!.orgPath as Types.ObjectId[]), union._id] } },
            ),
          ),
        );
      },
      run: async () => {
        const chain = [...(uppers[1 - at]!.orgPath as Types.ObjectId[]), union._id];
        for (const name of PATH_COLLECTIONS)
          await raw(name).updateMany({ orgPath: union._id }, { $set: { orgPath: chain } });
      },
    },
  };

  // 2. An upper union of 100 grassroots unions dissolved into its province.
  const grassroots = intEnv('BENCH_REORG_GRASSROOTS', 100, 1, 1_000);
  const perMembers = intEnv('BENCH_REORG_DISSOLVE_MEMBERS', 20, 0, 10_000);
  const perCases = intEnv('BENCH_REORG_DISSOLVE_CASES', 50, 0, 10_000);
  const upperOf = async (count: number) => {
    const upper = await addOrg(t, province, 'upper');
    for (let i = 0; i < count; i += 1) await addOrg(t, upper, 'grassroots', perMembers, perCases);
    return upper;
  };
  let subjectUpper: Doc | null = null;
  let floorUpper: Doc | null = null;
  const dissolve: Benchmark = {
    name:
      `Dissolution of an upper union of ${grassroots} grassroots unions (${(grassroots * perMembers).toLocaleString('en')} members, ` +
      `${(grassroots * perCases).toLocaleString('en')} cases) into its province (a job, as the API runs it)`,
    runs,
    subject: {
      name: 'dissolve (plan, claim, job, every step)',
      prepare: async () => {
        subjectUpper = await upperOf(grassroots);
      },
      run: async () => {
        await asJob(
          principal,
          await startDissolve(
            principal,
            actor,
            String(subjectUpper!._id),
            {
              effectiveDate: EFFECTIVE,
              reason: REASON,
              successorId: String(province._id),
            },
            { run: 'later' },
          ),
        );
      },
    },
    baseline: {
      name: 'bare updateMany $pull of the upper union from orgPath per collection',
      prepare: async () => {
        floorUpper = await upperOf(grassroots);
      },
      run: async () => {
        for (const name of PATH_COLLECTIONS)
          await chains(name).updateMany({ orgPath: floorUpper!._id }, { $pull: { orgPath: floorUpper!._id } });
      },
    },
  };
  return [move, dissolve];
}

/** Its own generated database (memory backend), then both benchmarks. */
export async function runReorganisationBenchmarks(): Promise<void> {
  const cases = Number(process.env.BENCH_REORG_CASES ?? benchCases());
  const runs = Math.min(intEnv('BENCH_RUNS', 5, 1, 21), 3);
  console.log(
    `\nReorganisation benchmarks — ${cases.toLocaleString('en')} generated cases (BENCH_REORG_CASES, else BENCH_CASES), embedded engine, memory backend`,
  );
  const begun = performance.now();
  const db = await generateDatabase({ cases, log: console.log });
  try {
    await runBenchmarks(await reorganisationBenchmarks(db, runs));
  } finally {
    await db.close();
  }
  console.log(`\nReorganisation benchmarks done in ${((performance.now() - begun) / 1000).toFixed(0)} s`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runReorganisationBenchmarks();
  process.exit(0);
}
