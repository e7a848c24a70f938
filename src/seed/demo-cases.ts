import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { vnDay } from '../core/shared/dates.js';
import type { Config } from '../core/config.js';
import type { Principal } from '../core/scope.js';
import { createCampaign } from '../campaigns/index.js';
import { casesRepository, createCase, performAction, type CaseAction } from '../cases/index.js';
import { addDocument, DocumentStore } from '../documents/index.js';
import { membersRepository } from '../members/index.js';
import { seedDemoList } from './demo-list.js';
import { demoMembers } from './demo-data.js';
import { ensureDemoFunds, handover, runPaymentSteps, startOfWork, type PaymentStep } from './demo-payments.js';
import { principalOf as principalOfUser, usersRepository } from '../users/index.js';

/** A 1×1 PNG standing in for scanned papers. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082',
  'hex',
);

async function principalOf(username: string): Promise<Principal> {
  const user = await usersRepository.findByUsername(username);
  if (!user) throw new Error(`demo user ${username} missing`);
  return principalOfUser(user);
}

const actorOf = (p: Principal) => ({ userId: p.userId, name: p.fullName, requestId: 'seed-demo' });

interface Step {
  by: string;
  action: CaseAction;
  body?: Record<string, unknown>;
}

interface DemoCase {
  officer: string;
  citizenId: string;
  programCode: 'union_house' | 'tet_gift' | 'disaster_relief';
  subtype?: string;
  amount: number;
  situation: string;
  documents: { by: string; type: string; before: number }[];
  steps: Step[];
  /** After the workflow steps: payments, reversals, handover papers and closing (demo-payments.ts). */
  payments?: PaymentStep[];
}

const SUBMIT_DOCS = ['application_form', 'commune_confirmation', 'land_certificate', 'house_photo'];
const houseDocs = (officer: string) => SUBMIT_DOCS.map((type) => ({ by: officer, type, before: 0 }));

/**
 * Cases in every status of the workflow, paid ones included, for the demo province, the funds they draw on, and a Tết
 * list; one under the ward union and one of the central sector union. `citizenIds`: the twelve Hà Tĩnh members, then
 * the ward school's and the fertiliser company's (demoNewStructureMembers).
 */
export async function seedDemoCases(config: Config, provinceId: string, citizenIds: string[]): Promise<number> {
  if ((await casesRepository.list({ subtreeOf: provinceId }, { page: 1, limit: 1, sort: 'createdAt' })).total > 0)
    return 0;
  const approver = await principalOf('pheduyet.hatinh');
  const today = vnDay();
  const year = Number(today.slice(0, 4));
  const tet = await createCampaign(approver, {
    code: `TET-HT-${year + 1}`,
    programCode: 'tet_gift',
    name: `Tết Sum vầy ${year + 1}`,
    opensAt: `${year}-11-01`,
    closesAt: `${year + 1}-01-31`,
    budget: 500_000_000,
  });
  const storm = await createCampaign(approver, {
    code: `BAO-HT-${year}`,
    programCode: 'disaster_relief',
    name: `Bão, lũ tháng 10 năm ${year}`,
    opensAt: `${year}-10-01`,
    closesAt: `${year}-12-31`,
    budget: 300_000_000,
  });
  const accountant = await principalOf('ketoan.hatinh');
  const funds = await ensureDemoFunds(accountant, actorOf(accountant));
  const verify = (by: string, amount: number): Step => ({
    by,
    action: 'verify',
    body: { recommendedAmount: amount, note: 'Đã khảo sát thực tế' },
  });
  const approve = (amount: number, fundAllocations = [{ fundId: funds.social, amount }]): Step => ({
    by: 'pheduyet.hatinh',
    action: 'approve',
    body: { approvedAmount: amount, fundAllocations },
  });
  const [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, ward, sector] = citizenIds;
  const surveyed = (officer: string, verifier: string) => [
    ...houseDocs(officer),
    { by: verifier, type: 'site_survey_minutes', before: 1 },
  ];
  const cases: (DemoCase & { campaignId?: string })[] = [
    {
      officer: 'cdcs.thcs',
      citizenId: m0!,
      programCode: 'union_house',
      subtype: 'new_build',
      amount: 50_000_000,
      situation: 'Nhà tạm lợp tôn, tường đất đã nứt; chồng mất, nuôi hai con nhỏ.',
      documents: houseDocs('cdcs.thcs').slice(0, 2),
      steps: [],
    },
    {
      officer: 'cdcs.thcs',
      citizenId: m4!,
      programCode: 'union_house',
      subtype: 'repair',
      amount: 25_000_000,
      situation: 'Mái nhà dột nát sau bão, không có khả năng tự sửa chữa.',
      documents: houseDocs('cdcs.thcs'),
      steps: [{ by: 'cdcs.thcs', action: 'submit' }],
    },
    {
      officer: 'cdcs.thcs',
      citizenId: m8!,
      programCode: 'union_house',
      subtype: 'new_build',
      amount: 50_000_000,
      situation: 'Gia đình thuộc hộ nghèo, ở nhờ nhà người thân.',
      documents: [...houseDocs('cdcs.thcs'), { by: 'lanhdao.hatinh', type: 'site_survey_minutes', before: 1 }],
      // Verified by the vice-chair who also approves: the approval is another approver's (four eyes).
      steps: [{ by: 'cdcs.thcs', action: 'submit' }, verify('lanhdao.hatinh', 45_000_000)],
    },
    {
      officer: 'cdcs.yte',
      citizenId: m1!,
      programCode: 'union_house',
      subtype: 'new_build',
      amount: 50_000_000,
      situation: 'Nhà xuống cấp nghiêm trọng, vợ bệnh hiểm nghèo.',
      documents: [...houseDocs('cdcs.yte'), { by: 'thamdinh.hatinh', type: 'site_survey_minutes', before: 1 }],
      steps: [{ by: 'cdcs.yte', action: 'submit' }, verify('thamdinh.hatinh', 50_000_000), approve(50_000_000)],
    },
    {
      officer: 'cdcs.yte',
      citizenId: m5!,
      programCode: 'tet_gift',
      amount: 1_000_000,
      campaignId: String(tet._id),
      situation: 'Bố mẹ già yếu, thu nhập thấp.',
      documents: [],
      steps: [
        { by: 'cdcs.yte', action: 'submit' },
        { by: 'thamdinh.hatinh', action: 'return', body: { reason: 'Bổ sung xác nhận hoàn cảnh của công đoàn cơ sở' } },
      ],
    },
    {
      officer: 'cdcs.yte',
      citizenId: m9!,
      programCode: 'tet_gift',
      amount: 1_000_000,
      campaignId: String(tet._id),
      situation: 'Đã nhận hỗ trợ từ nguồn khác.',
      documents: [],
      steps: [
        { by: 'cdcs.yte', action: 'submit' },
        { by: 'thamdinh.hatinh', action: 'reject', body: { reason: 'Đã nhận quà Tết từ chương trình khác của tỉnh' } },
      ],
    },
    {
      officer: 'cdcs.may',
      citizenId: m2!,
      programCode: 'tet_gift',
      amount: 800_000,
      campaignId: String(tet._id),
      situation: 'Mẹ đơn thân, con nhỏ.',
      documents: [],
      steps: [{ by: 'cdcs.may', action: 'withdraw' }],
    },
    {
      officer: 'cdcs.may',
      citizenId: m6!,
      programCode: 'tet_gift',
      amount: 1_000_000,
      campaignId: String(tet._id),
      situation: 'Công nhân bị tai nạn lao động, nghỉ việc dài ngày.',
      documents: [],
      steps: [{ by: 'cdcs.may', action: 'submit' }, verify('thamdinh.vungang', 1_000_000)],
    },
    {
      officer: 'cdcs.cang',
      citizenId: m3!,
      programCode: 'disaster_relief',
      subtype: 'house_damaged',
      amount: 3_000_000,
      campaignId: String(storm._id),
      situation: 'Nhà bị tốc mái trong bão.',
      documents: [],
      steps: [
        { by: 'cdcs.cang', action: 'submit' },
        verify('thamdinh.vungang', 3_000_000),
        approve(3_000_000),
        { by: 'pheduyet.hatinh', action: 'revoke', body: { reason: 'Trùng với danh sách hỗ trợ của huyện' } },
      ],
    },
    // Paid in two tranches from two funds (the sponsor's share in the second), handed over and closed.
    {
      officer: 'cdcs.cang',
      citizenId: m7!,
      programCode: 'union_house',
      subtype: 'new_build',
      amount: 50_000_000,
      situation: 'Nhà cấp bốn xuống cấp, tường nứt, mái sập một phần; vợ mất sức lao động.',
      documents: surveyed('cdcs.cang', 'thamdinh.vungang'),
      steps: [
        { by: 'cdcs.cang', action: 'submit' },
        verify('thamdinh.vungang', 50_000_000),
        approve(50_000_000, [
          { fundId: funds.social, amount: 30_000_000 },
          { fundId: funds.sponsor, amount: 20_000_000 },
        ]),
      ],
      payments: [
        startOfWork(50_000_000, 'social', 'PC-HT-0101'),
        { kind: 'document', by: 'cdcs.cang', type: 'handover_minutes' },
        {
          kind: 'pay',
          by: 'ketoan2.hatinh',
          trancheNo: 2,
          fund: 'social',
          amount: 5_000_000,
          method: 'bank_transfer',
          voucherNo: 'PC-HT-0102',
          note: 'Hoàn thành, bàn giao (phần Quỹ Xã hội)',
        },
        {
          kind: 'pay',
          by: 'ketoan2.hatinh',
          trancheNo: 2,
          fund: 'sponsor',
          amount: 20_000_000,
          method: 'bank_transfer',
          voucherNo: 'PC-HT-0103',
          note: 'Hoàn thành, bàn giao (phần tài trợ)',
          receipt: true,
        },
        { kind: 'close', by: 'ketoan.hatinh' },
      ],
    },
    // First tranche paid: building goes on.
    {
      officer: 'cdcs.may',
      citizenId: m10!,
      programCode: 'union_house',
      subtype: 'repair',
      amount: 25_000_000,
      situation: 'Nhà dột, tường thấm sau mùa mưa; hai con đang đi học.',
      documents: surveyed('cdcs.may', 'thamdinh.vungang'),
      steps: [
        { by: 'cdcs.may', action: 'submit' },
        verify('thamdinh.vungang', 25_000_000),
        approve(25_000_000, [{ fundId: funds.union, amount: 25_000_000 }]),
      ],
      payments: [startOfWork(25_000_000, 'union', 'PC-HT-0201')],
    },
    // A first tranche sent to the wrong account, reversed by the second accountant and paid again; then handed over.
    {
      officer: 'cdcs.cang',
      citizenId: m11!,
      programCode: 'union_house',
      subtype: 'repair',
      amount: 24_000_000,
      situation: 'Mái ngói vỡ, kèo mục sau bão; chồng bệnh dài ngày.',
      documents: surveyed('cdcs.cang', 'thamdinh.vungang'),
      steps: [{ by: 'cdcs.cang', action: 'submit' }, verify('thamdinh.vungang', 24_000_000), approve(24_000_000)],
      payments: [
        startOfWork(24_000_000, 'social', 'PC-HT-0301'),
        {
          kind: 'reverse',
          by: 'ketoan2.hatinh',
          voucherNo: 'PC-HT-0301',
          reason: 'Chuyển nhầm tài khoản, ngân hàng đã hoàn tiền',
        },
        startOfWork(24_000_000, 'social', 'PC-HT-0302', 'ketoan2.hatinh'),
        ...handover('cdcs.cang', 24_000_000, 'social', 'PC-HT-0303', 'ketoan.hatinh'),
      ],
    },
    // Under the ward union that holds `verify`: waiting for the ward's own verifier, not the province's.
    {
      officer: 'cdcs.mamnon',
      citizenId: ward!,
      programCode: 'union_house',
      subtype: 'repair',
      amount: 25_000_000,
      situation: 'Nhà cấp bốn xuống cấp, tường thấm; chồng mất sức lao động.',
      documents: houseDocs('cdcs.mamnon'),
      steps: [{ by: 'cdcs.mamnon', action: 'submit' }],
    },
    // The central sector union's own union-house program: verified by the corporation union, waiting for its approver.
    {
      officer: 'cdcs.binhdien',
      citizenId: sector!,
      programCode: 'union_house',
      subtype: 'new_build',
      amount: 50_000_000,
      situation: 'Công nhân vận hành, nhà tạm bị lũ cuốn; vợ đang điều trị ung thư.',
      documents: surveyed('cdcs.binhdien', 'thamdinh.hoachat'),
      steps: [{ by: 'cdcs.binhdien', action: 'submit' }, verify('thamdinh.hoachat', 50_000_000)],
    },
  ];

  const store = new DocumentStore(config.uploadDir);
  await store.prepare();
  for (const demo of cases) {
    const officer = await principalOf(demo.officer);
    const member = await membersRepository.findByCitizenId(demo.citizenId);
    if (!member) throw new Error(`demo member ${demo.citizenId} missing`);
    const record = await createCase(officer, actorOf(officer), {
      programCode: demo.programCode,
      subtype: demo.subtype,
      memberId: String(member._id),
      campaignId: demo.campaignId ?? null,
      requestedAmount: demo.amount,
      situation: demo.situation,
    });
    const id = String(record._id);
    // `before`: how many of the steps are done when the paper is added.
    for (let done = 0; done <= demo.steps.length; done += 1) {
      for (const doc of demo.documents.filter((d) => d.before === done)) {
        const uploader = await principalOf(doc.by);
        const path = join(store.incoming, randomUUID());
        await writeFile(path, PNG);
        await addDocument(
          store,
          uploader,
          actorOf(uploader),
          id,
          { type: doc.type },
          { path, originalname: `${doc.type}.png` },
        );
      }
      const step = demo.steps[done];
      if (!step) break;
      const by = await principalOf(step.by);
      const current = await casesRepository.findById(id);
      await performAction(by, actorOf(by), id, step.action, { ...step.body, revision: current!.revision });
    }
    if (demo.payments) await runPaymentSteps({ store, funds, png: PNG, principalOf }, id, demo.payments);
  }
  const listed = await seedDemoList(
    { store, principalOf },
    String(tet._id),
    demoMembers().filter((m) => m.org === 'may'),
  );
  return cases.length + listed;
}
