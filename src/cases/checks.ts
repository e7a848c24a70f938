import { ConflictError, ValidationError } from '../core/errors.js';
import { fullMonthsBetween, vnDay } from '../core/shared/dates.js';
import { formatVndWithUnit } from '../core/money.js';
import { isOpen } from '../campaigns/index.js';
import { assertProgramOpen } from '../programs/index.js';
import { documentTypeName, missingDocumentTypes } from '../core/shared/documents-catalogue.js';
import type { CheckName } from './workflow.js';
import { memberCap } from './rules/member-cap.js';
import { RuleError, type CheckContext, type Rule } from './rules/rule.js';

export { RuleError, type CheckContext, type Rule } from './rules/rule.js';

export function capOf(ctx: Pick<CheckContext, 'rules' | 'record'>): number {
  return ctx.rules.maxAmount[ctx.record.subtype] ?? 0;
}

function withinCap(ctx: CheckContext, amount: number, what: string): void {
  const cap = capOf(ctx);
  if (amount > cap) {
    throw new RuleError(
      'AMOUNT_EXCEEDS_CAP',
      `${what} ${formatVndWithUnit(amount)} vượt mức tối đa ${formatVndWithUnit(cap)} của ${ctx.program.name} (${ctx.record.subtype}).`,
      { cap },
    );
  }
}

/** SPEC §3: a member whose membership ended (e.g. their union was dissolved) is not eligible for a new case. */
export function membershipEnded(member: {
  membershipEndedAt?: string | null;
  membershipEndReason?: string | null;
}): RuleError {
  return new RuleError(
    'NOT_ELIGIBLE',
    `Đoàn viên đã chấm dứt sinh hoạt công đoàn từ ngày ${member.membershipEndedAt}${member.membershipEndReason ? ` (${member.membershipEndReason})` : ''}.`,
  );
}

/** The rules that read nothing besides the case, its program and the caller, each as one small function. */
const SIMPLE: Readonly<Record<Exclude<CheckName, 'memberCap'>, (ctx: CheckContext) => void>> = {
  programActive(ctx) {
    assertProgramOpen(ctx.program);
  },

  membershipMonths(ctx) {
    if (ctx.member?.membershipEndedAt) throw membershipEnded(ctx.member);
    const needed = ctx.rules.minMembershipMonths;
    if (!needed || !ctx.member) return;
    const months = fullMonthsBetween(ctx.member.joinedUnionAt, vnDay());
    if (months < needed) {
      throw new RuleError(
        'NOT_ELIGIBLE',
        `Đoàn viên mới tham gia công đoàn ${months} tháng; chương trình yêu cầu ít nhất ${needed} tháng tại thời điểm gửi hồ sơ.`,
        { membershipMonths: months, minMembershipMonths: needed },
      );
    }
  },

  campaignOpen(ctx) {
    if (!ctx.rules.requiresCampaign && !ctx.record.campaignId) return;
    if (!ctx.campaign)
      throw new RuleError('NOT_ELIGIBLE', 'Hồ sơ của chương trình này phải thuộc một đợt hỗ trợ của tỉnh.');
    if (!isOpen(ctx.campaign)) {
      throw new RuleError(
        'NOT_ELIGIBLE',
        `Đợt "${ctx.campaign.name}" chỉ nhận hồ sơ từ ${ctx.campaign.opensAt} đến ${ctx.campaign.closesAt}.`,
      );
    }
  },

  requestedWithinCap(ctx) {
    withinCap(ctx, ctx.record.requestedAmount, 'Số tiền đề nghị');
  },

  recommendedWithinCap(ctx) {
    withinCap(ctx, Number(ctx.body.recommendedAmount), 'Số tiền đề xuất');
  },

  approvedWithinCap(ctx) {
    withinCap(ctx, Number(ctx.body.approvedAmount), 'Số tiền phê duyệt');
  },

  approvedWithinRecommendation(ctx) {
    const reference = ctx.record.recommendedAmount ?? ctx.record.requestedAmount;
    if (Number(ctx.body.approvedAmount) > reference && !ctx.body.amountReason) {
      throw new ValidationError(
        [
          {
            path: 'amountReason',
            message: `Cần nêu lý do khi phê duyệt cao hơn số tiền đề xuất ${formatVndWithUnit(reference)}`,
          },
        ],
        'Số tiền phê duyệt cao hơn số tiền đề xuất mà không nêu lý do.',
      );
    }
  },

  stageDocuments(ctx) {
    const stage = ctx.transition.documentStage;
    const required = stage ? (ctx.rules.requiredDocuments[stage] ?? []) : [];
    const missing = missingDocumentTypes(required, ctx.record.documents);
    if (missing.length) {
      throw new RuleError('MISSING_DOCUMENTS', `Hồ sơ còn thiếu: ${missing.map(documentTypeName).join('; ')}.`, {
        missing,
      });
    }
  },

  verificationDone(ctx) {
    if (ctx.record.status === 'submitted' && ctx.rules.requiresVerification) {
      throw new ConflictError(
        'INVALID_TRANSITION',
        'Hồ sơ phải được công đoàn cấp trên thẩm định trước khi phê duyệt.',
      );
    }
  },

  fourEyes(ctx) {
    if (ctx.record.verifiedBy?.id === ctx.principal.userId) {
      throw new ConflictError('SEPARATION_OF_DUTIES', 'Người đã thẩm định hồ sơ không được tự phê duyệt hồ sơ đó.');
    }
  },

  nothingPaid(ctx) {
    if ((ctx.record.disbursedAmount ?? 0) > 0) {
      throw new ConflictError('INVALID_TRANSITION', 'Hồ sơ đã được chi tiền nên không thể thu hồi phê duyệt.');
    }
  },
};

/**
 * Each rule of SPEC §4–5; the workflow table says which run for which move. A rule that reads more than the case
 * says what (`needs`), and the step loads it once for all its rules.
 */
export const CHECKS: Readonly<Record<CheckName, Rule>> = {
  ...(Object.fromEntries(Object.entries(SIMPLE).map(([name, check]) => [name, { check }])) as Record<
    Exclude<CheckName, 'memberCap'>,
    Rule
  >),
  membershipMonths: { needs: ['member'], check: SIMPLE.membershipMonths },
  memberCap,
};
