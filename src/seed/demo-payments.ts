import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { vnDay, vnYear } from '../core/shared/dates.js';
import type { Actor, Principal } from '../core/scope.js';
import { casesRepository, performAction } from '../cases/index.js';
import { addReceipt, recordDisbursement, reverseDisbursement } from '../disbursements/index.js';
import { addDocument, type DocumentStore } from '../documents/index.js';
import { createFund, listFunds, type FundKind } from '../funds/index.js';

/**
 * The money side of the demo province: its funds, and the payments that bring demo cases to
 * partially_disbursed, disbursed and closed (one of them fixed by a reversal). Everything goes through the
 * same services and rules as the API.
 */

export interface DemoFunds {
  /** Fund id by short name. */
  social: string;
  union: string;
  sponsor: string;
}

const FUNDS: {
  key: keyof DemoFunds;
  code: string;
  name: string;
  kind: FundKind;
  allocated: number;
  sponsorName?: string;
}[] = [
  { key: 'social', code: 'QXH', name: 'Quỹ Xã hội LĐLĐ tỉnh Hà Tĩnh', kind: 'social_fund', allocated: 2_000_000_000 },
  {
    key: 'union',
    code: 'TCCD',
    name: 'Tài chính công đoàn chi hỗ trợ đoàn viên',
    kind: 'union_finance',
    allocated: 1_000_000_000,
  },
  {
    key: 'sponsor',
    code: 'TT-VTB',
    name: 'Tài trợ xây nhà Mái ấm Công đoàn',
    kind: 'sponsor',
    allocated: 300_000_000,
    sponsorName: 'Ngân hàng TMCP Công Thương Việt Nam - Chi nhánh Hà Tĩnh',
  },
];

/** The province's funds of this year, created once (an interrupted earlier run may have made some). */
export async function ensureDemoFunds(accountant: Principal, actor: Actor): Promise<DemoFunds> {
  const year = vnYear();
  const ids = {} as DemoFunds;
  for (const fund of FUNDS) {
    const code = `${fund.code}-${year}`;
    const existing = (await listFunds(accountant, { page: 1, limit: 1, sort: 'code', q: code })).items[0] as
      { id: string; code: string } | undefined;
    const saved =
      existing?.code === code
        ? existing.id
        : String((await createFund(accountant, actor, { ...fund, code, year }))._id);
    ids[fund.key] = saved;
  }
  return ids;
}

export type PaymentStep =
  | {
      kind: 'pay';
      by: string;
      trancheNo: number;
      fund: keyof DemoFunds;
      amount: number;
      method: 'cash' | 'bank_transfer';
      voucherNo: string;
      note: string;
      receipt?: boolean;
    }
  | { kind: 'reverse'; by: string; voucherNo: string; reason: string }
  | { kind: 'document'; by: string; type: string }
  | { kind: 'close'; by: string };

export interface PaymentContext {
  store: DocumentStore;
  funds: DemoFunds;
  png: Buffer;
  principalOf: (username: string) => Promise<Principal>;
}

const actorOf = (p: Principal): Actor => ({ userId: p.userId, name: p.fullName, requestId: 'seed-demo' });

async function tempFile(ctx: PaymentContext): Promise<string> {
  const path = join(ctx.store.incoming, randomUUID());
  await writeFile(path, ctx.png);
  return path;
}

/** Runs a case's payment steps in order; payments are referred to by their voucher number. */
export async function runPaymentSteps(
  ctx: PaymentContext,
  caseId: string,
  steps: readonly PaymentStep[],
): Promise<void> {
  const paymentIds = new Map<string, string>();
  for (const step of steps) {
    const by = await ctx.principalOf(step.by);
    const actor = actorOf(by);
    if (step.kind === 'pay') {
      const input = {
        amount: step.amount,
        trancheNo: step.trancheNo,
        method: step.method,
        paidAt: vnDay(),
        voucherNo: step.voucherNo,
        fundId: ctx.funds[step.fund],
        note: step.note,
      };
      const answer = await recordDisbursement(by, actor, caseId, input, `seed-demo-${caseId}-${step.voucherNo}`);
      const id = (answer.body as { id: string }).id;
      paymentIds.set(step.voucherNo, id);
      if (step.receipt)
        await addReceipt(ctx.store, by, actor, id, {
          path: await tempFile(ctx),
          originalname: `phieu-chi-${step.voucherNo}.png`,
        });
    } else if (step.kind === 'reverse') {
      await reverseDisbursement(by, actor, paymentIds.get(step.voucherNo)!, { reason: step.reason });
    } else if (step.kind === 'document') {
      await addDocument(
        ctx.store,
        by,
        actor,
        caseId,
        { type: step.type },
        { path: await tempFile(ctx), originalname: `${step.type}.png` },
      );
    } else {
      const current = await casesRepository.findById(caseId);
      await performAction(by, actor, caseId, 'close', {
        revision: current!.revision,
        note: 'Đã bàn giao nhà, hồ sơ hoàn tất',
      });
    }
  }
}

/** A union house's first tranche (50 % at the start of work, the built-in split), with its receipt. */
export function startOfWork(
  amount: number,
  fund: keyof DemoFunds,
  voucherNo: string,
  by = 'ketoan.hatinh',
): PaymentStep {
  return {
    kind: 'pay',
    by,
    trancheNo: 1,
    fund,
    amount: Math.floor(amount / 2),
    method: 'bank_transfer',
    voucherNo,
    note: 'Tạm ứng khởi công',
    receipt: true,
  };
}

/** The handover: the union files the minutes, then the second tranche (the rest of the amount) is paid. */
export function handover(
  officer: string,
  amount: number,
  fund: keyof DemoFunds,
  voucherNo: string,
  by = 'ketoan2.hatinh',
): PaymentStep[] {
  return [
    { kind: 'document', by: officer, type: 'handover_minutes' },
    {
      kind: 'pay',
      by,
      trancheNo: 2,
      fund,
      amount: amount - Math.floor(amount / 2),
      method: 'bank_transfer',
      voucherNo,
      note: 'Hoàn thành, bàn giao',
      receipt: true,
    },
  ];
}
