/**
 * A generated national-scale data set for benchmarks (`npm run bench`, issue 6 item 5): a fresh embedded
 * engine (memory backend by default, or H2 in a temporary directory), the first-start data of the service,
 * two provinces with their unions and members, `cases` cases over three calendar years in realistic statuses
 * with their history and stored report days, their payment entries (some reversed and paid again), and the
 * report totals rebuilt by the service's own `rebuildReportTotals`, so the summary reads maintained totals
 * exactly as in production. Everything is written with `insertMany` in batches; the generator is
 * deterministic (a seeded PRNG), so two runs of one size hold the same data.
 */
// The whole service first, in the order it loads itself (the features' modules import each other).
import '../../src/app.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Types } from 'mongoose';
import { Case } from '../../src/cases/cases.model.js';
import { loadConfig } from '../../src/core/config.js';
import { connectDatabase, disconnectDatabase, EMBEDDED_HEARTBEAT_TIMEOUT_MS } from '../../src/core/db/connection.js';
import { startEmbeddedEngine, type EmbeddedEngine } from '../../src/core/db/embedded.js';
import { createLogger } from '../../src/core/logger.js';
import { searchKey } from '../../src/core/search-text.js';
import { Disbursement } from '../../src/disbursements/index.js';
import { Member } from '../../src/members/members.model.js';
import { Org } from '../../src/orgs/orgs.model.js';
import { rebuildReportTotals } from '../../src/reports/index.js';
import { bootstrap, ROOT_ORG } from '../../src/system/bootstrap.js';

export const BENCH_ADMIN_PASSWORD = 'bench-mat-khau-quan-tri-2026';
/** The generated years (complete years before today, so the case codes never meet the ones the service numbers now). */
export const YEARS = [2023, 2024, 2025] as const;
const BATCH = 5_000;

export interface GenerateOptions {
  cases: number;
  backend?: 'memory' | 'h2';
  /** For `h2`: the data directory to fill and keep (removed by `close` only when not given: a temporary one). */
  dataDir?: string;
  seed?: number;
  log?: (line: string) => void;
}

export interface GeneratedProvince {
  id: string;
  code: string;
  /** Each grassroots union with its upper union (where a verifier above it works) and its members. */
  grassroots: { id: string; upperId: string; memberIds: string[] }[];
}

export interface GeneratedDatabase {
  engine: EmbeddedEngine;
  uri: string;
  rootId: string;
  provinces: GeneratedProvince[];
  /** Ids of generated cases spread over the whole collection (for reads). */
  sampleCaseIds: string[];
  counts: { orgs: number; members: number; cases: number; entries: number; reversals: number; buckets: number };
  seconds: { generate: number; rebuild: number };
  /** Disconnects this process and stops the engine (and removes the H2 directory). */
  close(): Promise<void>;
}

/** mulberry32: small, fast and seeded. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const DAY_MS = 86_400_000;
/** 10:00 in Vietnam on `day` plus `days`: its Vietnam day is the day itself. */
const atDay = (day: string, days = 0) => new Date(Date.parse(`${day}T03:00:00Z`) + days * DAY_MS);
const dayOf = (at: Date) => at.toISOString().slice(0, 10);

const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Phan', 'Võ', 'Đặng', 'Bùi', 'Đỗ'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Đức', 'Thị Thu', 'Minh', 'Ngọc'];
const GIVEN = [
  'An',
  'Bình',
  'Cường',
  'Dũng',
  'Hường',
  'Lan',
  'Mai',
  'Nam',
  'Oanh',
  'Phúc',
  'Quang',
  'Sơn',
  'Tâm',
  'Yến',
];
const PROVINCES = [
  { code: 'HT', name: 'Liên đoàn Lao động tỉnh Hà Tĩnh', place: 'Hà Tĩnh' },
  { code: 'NA', name: 'Liên đoàn Lao động tỉnh Nghệ An', place: 'Nghệ An' },
];
const UPPER_PER_PROVINCE = 4;
const GRASSROOTS_PER_UPPER = 10;
const RELIEF = [
  ['death', 10_000_000],
  ['house_collapsed', 10_000_000],
  ['house_damaged', 3_000_000],
] as const;
const HOUSE = [
  ['new_build', 50_000_000],
  ['repair', 25_000_000],
] as const;

type Person = { id: string; name: string };
type HistoryItem = { action: string; from: string | null; to: string | null; by: Person; at: Date; note: string };

export async function generateDatabase(options: GenerateOptions): Promise<GeneratedDatabase> {
  const log = options.log ?? (() => undefined);
  const random = prng(options.seed ?? 20_261_123);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const started = performance.now();

  const keepDir = options.backend === 'h2' && options.dataDir !== undefined;
  const dataDir =
    options.backend === 'h2' ? (options.dataDir ?? mkdtempSync(join(tmpdir(), 'mai-am-bench-'))) : undefined;
  // The memory backend holds the whole generated database in the Java heap (6.6 GB at 200,000 cases): the bench
  // gives the engine BENCH_ENGINE_HEAP (default 12g), not the service's default, so a large database is not cut short.
  // It starts with all of it: growing the heap took full collections of 2–5 s, which fell inside measured steps, the
  // floors' as well as the service's (docs/benchmarks.md, "The list payment's window profiled, the bench's engine
  // heap, and the XLSX read by name").
  const heap = process.env.BENCH_ENGINE_HEAP ?? '12g';
  const backend = options.backend ?? 'memory';
  const engine = await startEmbeddedEngine({
    backend,
    dataDir,
    database: 'mai-am-bench',
    heap,
    heapFixed: backend === 'memory',
    // The engine's error lines after ready (a failed flush or compaction of the H2 file) go to the bench's output.
    problem: (line) => console.log(`  engine: ${line}`),
  });
  const close = async () => {
    await disconnectDatabase();
    await engine.stop();
    if (dataDir && !keepDir) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    // As the service does on the embedded engine: at the driver's 30 s the heartbeat gave up behind the rebuild's read
    // of 1,000,000 cases and the bench ended.
    await connectDatabase(engine.uri, { connectTimeoutMS: EMBEDDED_HEARTBEAT_TIMEOUT_MS });
    const config = loadConfig({
      ...process.env,
      MONGODB_URI: engine.uri,
      BOOTSTRAP_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
    });
    await bootstrap(config, createLogger('warn'));
    const root = await Org.findOne({ code: ROOT_ORG.code }).lean();
    if (!root) throw new Error('bootstrap left no root organisation');
    const system: Person = { id: String(new Types.ObjectId()), name: 'Dữ liệu sinh cho benchmark' };
    const now = new Date();

    // Organisations: 2 provinces × 4 upper unions × 10 grassroots unions.
    const orgDocs: Record<string, unknown>[] = [];
    const org = (
      code: string,
      name: string,
      level: string,
      parent: { _id: Types.ObjectId; orgPath: Types.ObjectId[]; name: string },
      place: string,
    ) => {
      const _id = new Types.ObjectId();
      const doc = {
        _id,
        code,
        name,
        shortName: name.slice(0, 40),
        level,
        parentId: parent._id,
        orgPath: [...parent.orgPath, _id],
        place,
        address: '',
        parentName: parent.name,
        active: true,
        searchKey: searchKey(`${code} ${name}`),
        createdAt: now,
        updatedAt: now,
      };
      orgDocs.push(doc);
      return doc;
    };
    const provinces = PROVINCES.map((p) => {
      const province = org(`BENCH-${p.code}`, p.name, 'province', root, p.place);
      const grassroots = Array.from({ length: UPPER_PER_PROVINCE }, (_, u) => {
        const upper = org(
          `BENCH-${p.code}-U${u + 1}`,
          `Công đoàn Khu công nghiệp số ${u + 1} ${p.place}`,
          'upper',
          province,
          p.place,
        );
        return Array.from({ length: GRASSROOTS_PER_UPPER }, (_, g) =>
          org(
            `BENCH-${p.code}-U${u + 1}-G${g + 1}`,
            `Công đoàn cơ sở Công ty số ${u * GRASSROOTS_PER_UPPER + g + 1} ${p.place}`,
            'grassroots',
            upper,
            p.place,
          ),
        );
      }).flat();
      // Three funds of the province (ids only: the report groups by them, nothing here reads the fund documents).
      const funds = [
        ['TCCD', 'Tài chính công đoàn'],
        ['QXH', 'Quỹ Xã hội'],
        ['TT', 'Nguồn tài trợ'],
      ].map(([code, name]) => ({
        fundId: new Types.ObjectId(),
        fundCode: `${p.code}-${code}`,
        fundName: `${name!} ${p.place}`,
      }));
      const campaigns = new Map(YEARS.map((y) => [y, { tet: new Types.ObjectId(), relief: new Types.ObjectId() }]));
      return {
        province,
        grassroots,
        funds,
        campaigns,
        members: grassroots.map(() => [] as { _id: Types.ObjectId; fullName: string; citizenId: string }[]),
      };
    });
    await Org.insertMany(orgDocs, { lean: true });

    // Members: about 0.6 per case, spread over the grassroots unions.
    const grassrootsAll = provinces.flatMap((p, pi) => p.grassroots.map((g, gi) => ({ pi, gi, g })));
    const memberCount = Math.max(grassrootsAll.length, Math.ceil(options.cases * 0.6));
    let memberBatch: Record<string, unknown>[] = [];
    for (let i = 0; i < memberCount; i += 1) {
      const { pi, gi, g } = grassrootsAll[i % grassrootsAll.length]!;
      const fullName = `${pick(SURNAMES)} ${pick(MIDDLE)} ${pick(GIVEN)}`;
      const citizenId = `0${String(40_000_000_000 + i)}`.slice(-12);
      const _id = new Types.ObjectId();
      provinces[pi]!.members[gi]!.push({ _id, fullName, citizenId });
      memberBatch.push({
        _id,
        fullName,
        searchName: searchKey(fullName),
        dateOfBirth: `19${70 + (i % 30)}-0${1 + (i % 9)}-1${i % 10}`,
        gender: i % 2 ? 'female' : 'male',
        citizenId,
        joinedUnionAt: '2012-03-01',
        orgId: g._id,
        orgPath: g.orgPath,
        phone: '0912345678',
        address: { province: PROVINCES[pi]!.place, commune: 'Xã Cẩm Bình', detail: `Thôn ${1 + (i % 9)}` },
        bankAccount: {
          bankBin: '970415',
          accountNo: String(1_000_000_000 + i),
          accountName: searchKey(fullName).toUpperCase(),
        },
        createdBy: root._id,
        createdAt: now,
        updatedAt: now,
      });
      if (memberBatch.length === BATCH) {
        await Member.insertMany(memberBatch, { lean: true });
        memberBatch = [];
      }
    }
    if (memberBatch.length) await Member.insertMany(memberBatch, { lean: true });
    log(`  generated ${orgDocs.length} organisations and ${memberCount} members`);

    // Cases and their payment entries.
    const sequences = new Map<string, number>();
    const sampleEvery = Math.max(1, Math.floor(options.cases / 2_000));
    const sampleCaseIds: string[] = [];
    let entries = 0;
    let reversals = 0;
    let caseBatch: Record<string, unknown>[] = [];
    let entryBatch: Record<string, unknown>[] = [];
    const flush = async () => {
      if (caseBatch.length) await Case.insertMany(caseBatch, { lean: true });
      if (entryBatch.length) await Disbursement.insertMany(entryBatch, { lean: true });
      caseBatch = [];
      entryBatch = [];
    };

    for (let i = 0; i < options.cases; i += 1) {
      const pi = i % provinces.length;
      const p = provinces[pi]!;
      const gi = Math.floor(random() * p.grassroots.length);
      const g = p.grassroots[gi]!;
      const member = pick(p.members[gi]!);
      const year = YEARS[Math.floor(random() * YEARS.length)]!;
      const r = random();
      const [programCode, prefix, subtype, cap, campaignId] =
        r < 0.8
          ? (['tet_gift', 'TET', 'gift', 1_000_000, p.campaigns.get(year)!.tet] as const)
          : r < 0.93
            ? (['disaster_relief', 'TT', ...pick(RELIEF), p.campaigns.get(year)!.relief] as const)
            : (['union_house', 'MAC', ...pick(HOUSE), null] as const);
      // Tết gifts are filed in January or December; the rest any day of the year.
      const dayOfYear =
        programCode === 'tet_gift'
          ? random() < 0.5
            ? Math.floor(random() * 20)
            : 334 + Math.floor(random() * 20)
          : Math.floor(random() * 330);
      const submittedDay = dayOf(new Date(Date.parse(`${year}-01-01T03:00:00Z`) + dayOfYear * DAY_MS));
      const seqKey = `${prefix}-${year}`;
      const seq = (sequences.get(seqKey) ?? 0) + 1;
      sequences.set(seqKey, seq);
      const _id = new Types.ObjectId();
      if (i % sampleEvery === 0) sampleCaseIds.push(String(_id));

      // Where the case ended: a realistic spread, most of them paid.
      const s = random();
      const final =
        s < 0.02
          ? 'draft'
          : s < 0.05
            ? 'submitted'
            : s < 0.06
              ? 'returned'
              : s < 0.07
                ? 'cancelled'
                : s < 0.1
                  ? 'verified'
                  : s < 0.13
                    ? 'rejected'
                    : s < 0.17
                      ? 'approved'
                      : s < 0.185
                        ? 'revoked'
                        : s < 0.27
                          ? 'closed'
                          : programCode === 'union_house' && s < 0.5
                            ? 'partially_disbursed'
                            : 'disbursed';
      const history: HistoryItem[] = [];
      const step = (action: string, from: string | null, to: string | null, day: number) =>
        history.push({ action, from, to, by: system, at: atDay(submittedDay, day), note: '' });
      step('create', null, 'draft', -1);
      let status = 'draft';
      const go = (action: string, to: string, day: number) => {
        step(action, status, to, day);
        status = to;
      };
      if (final !== 'draft') go('submit', 'submitted', 0);
      if (final === 'returned') go('return', 'returned', 2);
      if (final === 'cancelled') go('withdraw', 'cancelled', 2);
      const reachedVerify = !['draft', 'submitted', 'returned', 'cancelled'].includes(final);
      if (reachedVerify) go('verify', 'verified', 3);
      if (final === 'rejected') go('reject', 'rejected', 6);
      const approved = ['approved', 'revoked', 'partially_disbursed', 'disbursed', 'closed'].includes(final);
      const approvedAmount = approved
        ? programCode === 'tet_gift'
          ? cap
          : Math.round((cap * (0.6 + 0.4 * random())) / 100_000) * 100_000
        : null;
      if (approved) go('approve', 'approved', 7);
      if (final === 'revoked') go('revoke', 'revoked', 20);

      const fund =
        p.funds[programCode === 'tet_gift' ? 0 : programCode === 'disaster_relief' ? 1 : random() < 0.5 ? 1 : 2]!;
      const tranches =
        programCode === 'union_house'
          ? [
              { no: 1, label: 'Khởi công', percent: 50 },
              { no: 2, label: 'Hoàn thành, bàn giao', percent: 50 },
            ]
          : [{ no: 1, label: 'Chi trả một lần', percent: 100 }];
      const paidTranches =
        final === 'partially_disbursed' ? 1 : ['disbursed', 'closed'].includes(final) ? tranches.length : 0;
      let disbursed = 0;
      const trancheDocs =
        approvedAmount === null || !paidTranches
          ? []
          : tranches.map((t, ti) => {
              const amount =
                ti === tranches.length - 1
                  ? approvedAmount - Math.round((approvedAmount * (100 - t.percent)) / 100)
                  : Math.round((approvedAmount * t.percent) / 100);
              return { ...t, amount, paid: ti < paidTranches ? amount : 0, requiresDocuments: [] as string[] };
            });
      const entryBase = {
        kind: 'payment',
        caseId: _id,
        caseCode: `${prefix}-${year}-${String(seq).padStart(6, '0')}`,
        programCode,
        memberId: member._id,
        memberName: member.fullName,
        orgId: g._id,
        orgPath: g.orgPath,
        fundId: fund.fundId,
        fundCode: fund.fundCode,
        method: programCode === 'tet_gift' ? 'cash' : 'bank_transfer',
        subtype,
        campaignId,
        note: '',
        reverses: null,
        reason: null,
        reversedBy: null,
        receipts: [],
        payee: null,
        createdBy: system,
      };
      const entry = (fields: Record<string, unknown>, day: string) => {
        entries += 1;
        const at = atDay(day);
        const voucherNo = `PC-${p.province.code}-${String(entries).padStart(7, '0')}`;
        const doc = {
          ...entryBase,
          ...fields,
          paidAt: day,
          paidMonth: day.slice(0, 7),
          voucherNo,
          transferNote: `${voucherNo} ${entryBase.caseCode}`,
          createdAt: at,
          updatedAt: at,
        };
        entryBatch.push(doc);
        return doc;
      };
      for (const [ti, t] of trancheDocs.slice(0, paidTranches).entries()) {
        const day = dayOf(atDay(submittedDay, 10 + ti * 60));
        const tranche = { trancheNo: t.no, trancheLabel: t.label, amount: t.amount };
        // About 2% of payments are reversed (wrong account, say) and paid again a few days later.
        if (random() < 0.02) {
          reversals += 1;
          const reversalId = new Types.ObjectId();
          const paymentId = new Types.ObjectId();
          entry(
            {
              _id: paymentId,
              ...tranche,
              status: 'reversed',
              reversedBy: { id: reversalId, reason: 'Sai số tài khoản', by: system, at: atDay(day, 2) },
            },
            day,
          );
          entry(
            {
              _id: reversalId,
              ...tranche,
              kind: 'reversal',
              status: 'reversal',
              amount: -t.amount,
              reverses: paymentId,
              reason: 'Sai số tài khoản',
            },
            dayOf(atDay(day, 2)),
          );
          entry({ _id: new Types.ObjectId(), ...tranche, status: 'paid' }, dayOf(atDay(day, 5)));
        } else {
          entry({ _id: new Types.ObjectId(), ...tranche, status: 'paid' }, day);
        }
        disbursed += t.amount;
        if (ti === 0 && tranches.length > 1) go('disburse', 'partially_disbursed', 10);
      }
      if (paidTranches === tranches.length && paidTranches) go('disburse', 'disbursed', 10 + (paidTranches - 1) * 60);
      if (final === 'closed') go('close', 'closed', 10 + (paidTranches - 1) * 60 + 30);

      const submitted = final !== 'draft';
      const createdAt = atDay(submittedDay, -1);
      caseBatch.push({
        _id,
        code: entryBase.caseCode,
        programCode,
        subtype,
        campaignId,
        memberId: member._id,
        memberSnapshot: submitted
          ? {
              fullName: member.fullName,
              citizenId: member.citizenId,
              dateOfBirth: '1985-04-12',
              gender: 'female',
              joinedUnionAt: '2012-03-01',
              phone: '0912345678',
              address: { province: PROVINCES[pi]!.place, commune: 'Xã Cẩm Bình', detail: 'Thôn 3' },
              bankAccount: {
                bankBin: '970415',
                accountNo: '1234567890',
                accountName: searchKey(member.fullName).toUpperCase(),
              },
              orgId: String(g._id),
              takenAt: atDay(submittedDay),
            }
          : null,
        memberName: member.fullName,
        memberSearchName: searchKey(member.fullName),
        memberCitizenId: member.citizenId,
        orgId: g._id,
        orgPath: g.orgPath,
        requestedAmount: cap,
        recommendedAmount: reachedVerify ? cap : null,
        approvedAmount,
        disbursedAmount: disbursed,
        fundAllocations: approvedAmount === null ? [] : [{ ...fund, amount: approvedAmount, paid: disbursed }],
        tranches: trancheDocs,
        situation: 'Hoàn cảnh khó khăn',
        details: {},
        documents: [],
        status,
        history,
        revision: history.length,
        claimKey: null,
        createdBy: system,
        submittedAt: submitted ? atDay(submittedDay) : null,
        submittedDay: submitted ? submittedDay : null,
        approvedDay: approved ? dayOf(atDay(submittedDay, 7)) : null,
        reportSubtype: submitted ? subtype : null,
        verifiedBy: reachedVerify ? system : null,
        verifiedAt: reachedVerify ? atDay(submittedDay, 3) : null,
        approvedBy: approved ? system : null,
        approvedAt: approved ? atDay(submittedDay, 7) : null,
        decisionId: null,
        batchId: null,
        createdAt,
        updatedAt: history.at(-1)!.at,
      });
      if (caseBatch.length === BATCH) {
        await flush();
        if ((i + 1) % (BATCH * 10) === 0) log(`  ${i + 1} cases written`);
      }
    }
    await flush();
    const generated = (performance.now() - started) / 1000;
    log(
      `  generated ${options.cases} cases and ${entries} payment entries (${reversals} reversed) in ${generated.toFixed(1)} s`,
    );

    const rebuildStarted = performance.now();
    const { buckets } = await rebuildReportTotals();
    const rebuild = (performance.now() - rebuildStarted) / 1000;
    log(`  rebuilt the report totals (${buckets} monthly buckets) in ${rebuild.toFixed(1)} s with rebuildReportTotals`);

    return {
      engine,
      uri: engine.uri,
      rootId: String(root._id),
      provinces: provinces.map((p) => ({
        id: String(p.province._id),
        code: p.province.code,
        grassroots: p.grassroots.map((g, gi) => ({
          id: String(g._id),
          upperId: String(g.parentId),
          memberIds: p.members[gi]!.map((m) => String(m._id)),
        })),
      })),
      sampleCaseIds,
      counts: { orgs: orgDocs.length, members: memberCount, cases: options.cases, entries, reversals, buckets },
      seconds: { generate: generated, rebuild },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The case count of `BENCH_CASES` (default 200,000). */
export function benchCases(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.BENCH_CASES ?? 200_000);
  if (!Number.isInteger(value) || value < 1_000 || value > 5_000_000)
    throw new Error('BENCH_CASES must be an integer between 1,000 and 5,000,000');
  return value;
}
