import type { Types } from 'mongoose';
import { vnDay } from '../core/shared/dates.js';
import { ValidationError } from '../core/errors.js';
import { amountInWords, formatVnd, formatVndWithUnit } from '../core/money.js';
import type { Actor } from '../core/scope.js';
import { campaignsRepository } from '../campaigns/index.js';
import type { CaseRecord } from '../cases/index.js';
import { mask } from '../members/index.js';
import { orgsRepository, type OrgRecord } from '../orgs/index.js';
import { findProgram, provinceIdOf } from '../programs/index.js';
import { usersRepository } from '../users/index.js';
import type { NewDecision } from './decisions.repository.js';
import { decisionSettings } from './decisions.settings.js';
import { newVerifyToken, verifyLink } from './verify-token.js';
import { fillText, type DecisionTexts, type Placeholder } from './templates.js';

/** What the approver may choose about the paper; each has a default (README, OpenAPI of `approve`). */
export interface SignerInput {
  signerName?: string;
  signerTitle?: string;
  /** `YYYY-MM-DD`; default today in Vietnam (or, when a missed decision is issued later, the approval day). */
  decisionDate?: string;
}

/** The printed number: the sequence, then the kind of paper (QĐ) and the issuer (LĐLĐ), SPEC §6. */
export function decisionNumber(sequence: number): string {
  return `${sequence}/QĐ-LĐLĐ`;
}

const upper = (text: string) => text.toLocaleUpperCase('vi-VN');

/**
 * Signer defaults: the approving user's name, and their title in capitals, or "CHỦ TỊCH" when the account has
 * none. The user who approved the case, not whoever issues a missed decision later.
 */
async function signerOf(signerUserId: string, input: SignerInput): Promise<{ name: string; title: string }> {
  const user = input.signerName && input.signerTitle ? null : await usersRepository.findById(signerUserId);
  return {
    name: input.signerName ?? user?.fullName ?? '',
    title: upper(input.signerTitle ?? (user?.title?.trim() || 'CHỦ TỊCH')),
  };
}

async function orgsById(ids: Iterable<string>): Promise<Map<string, OrgRecord>> {
  const unique = [...new Set(ids)];
  const found = await Promise.all(unique.map((id) => orgsRepository.findById(id)));
  return new Map(found.filter((org): org is OrgRecord => !!org).map((org) => [String(org._id), org]));
}

function textsFilled(texts: DecisionTexts, values: Partial<Record<Placeholder, string>>): DecisionTexts {
  const fill = (text: string) => fillText(text, values);
  return {
    subject: fill(texts.subject),
    decidingBody: fill(texts.decidingBody),
    legalBases: texts.legalBases.map(fill),
    articles: texts.articles.map(fill),
    recipients: texts.recipients.map(fill),
  };
}

/**
 * Everything a decision for these approved cases records, filled in from the template in force for the
 * issuing province: one case makes a single decision, several a batch decision with its list. The record is
 * complete, so its PDF can be rendered from it alone at any time, with the same bytes.
 */
export async function draftDecision(
  id: Types.ObjectId,
  cases: CaseRecord[],
  actor: Actor,
  signerUserId: string,
  input: SignerInput,
): Promise<Omit<NewDecision, 'sequence' | 'number'>> {
  const first = cases[0]!;
  const provinceId = provinceIdOf(first.orgPath);
  if (
    !provinceId ||
    cases.some(
      (c) =>
        provinceIdOf(c.orgPath) !== provinceId ||
        c.programCode !== first.programCode ||
        String(c.campaignId) !== String(first.campaignId),
    )
  ) {
    throw new ValidationError([
      { path: 'caseIds', message: 'Các hồ sơ của một quyết định phải cùng tỉnh, cùng chương trình và cùng đợt' },
    ]);
  }
  const orgs = await orgsById([
    provinceId,
    ...cases.flatMap((c) => [String(c.orgId), String(c.orgPath[2] ?? c.orgId)]),
  ]);
  const issuer = orgs.get(provinceId)!;
  const parent = issuer.parentId ? await orgsRepository.findById(String(issuer.parentId)) : null;
  const program = await findProgram(first.programCode);
  const campaign = first.campaignId ? await campaignsRepository.findById(String(first.campaignId)) : null;
  const { templates, publicBaseUrl } = decisionSettings();
  const template = templates.forProgram(program.code, issuer.code);
  const issuedAt = input.decisionDate ?? vnDay(cases.length === 1 && first.approvedAt ? first.approvedAt : new Date());

  const lines = cases.map((c) => ({
    caseId: c._id,
    caseCode: c.code,
    memberName: c.memberSnapshot?.fullName ?? c.memberName,
    citizenIdMasked: mask(c.memberSnapshot?.citizenId ?? c.memberCitizenId) ?? '',
    orgId: c.orgId,
    orgName: orgs.get(String(c.orgId))?.name ?? '',
    subtype: c.subtype,
    amount: c.approvedAmount ?? 0,
  }));
  const totalAmount = lines.reduce((sum, line) => sum + line.amount, 0);
  const parentName = issuer.parentName || parent?.name || '';
  const values: Partial<Record<Placeholder, string>> = {
    issuerName: issuer.name,
    issuerShortName: issuer.shortName,
    parentName,
    place: issuer.place ?? '',
    programName: program.name,
    campaignName: campaign?.name ?? '',
    caseCount: formatVnd(lines.length),
    totalAmount: formatVndWithUnit(totalAmount),
    totalAmountInWords: amountInWords(totalAmount),
  };
  if (cases.length === 1) {
    Object.assign(values, {
      beneficiaryName: lines[0]!.memberName,
      unionName: lines[0]!.orgName,
      upperUnionName: orgs.get(String(first.orgPath[2] ?? ''))?.name ?? '',
      subtypeName: template.subtypes[first.subtype] ?? first.subtype,
      caseCode: first.code,
      amount: formatVndWithUnit(totalAmount),
      amountInWords: amountInWords(totalAmount),
    });
  }
  const texts = textsFilled(cases.length === 1 ? template : template.batch, values);
  const signer = await signerOf(signerUserId, input);
  const verifyToken = newVerifyToken();
  const scope = new Map([...issuer.orgPath, ...cases.flatMap((c) => c.orgPath)].map((orgId) => [String(orgId), orgId]));

  return {
    _id: id,
    year: Number(issuedAt.slice(0, 4)),
    issuedAt,
    issuerOrgId: issuer._id,
    issuerName: issuer.name,
    issuerShortName: issuer.shortName,
    scopeOrgIds: [...scope.values()],
    kind: cases.length === 1 ? 'single' : 'batch',
    signerName: signer.name,
    signerTitle: signer.title,
    programCode: program.code,
    campaignId: first.campaignId ?? null,
    caseIds: cases.map((c) => c._id),
    lines,
    totalAmount,
    legalBases: texts.legalBases,
    content: {
      subject: texts.subject,
      decidingBody: texts.decidingBody,
      articles: texts.articles,
      recipients: texts.recipients,
      parentName,
      place: issuer.place ?? '',
      templateSource: template.source,
      verifyUrl: verifyLink(publicBaseUrl, verifyToken),
    },
    verifyToken,
    legacyVerify: false,
    status: 'issued',
    revokedAt: null,
    revokeReason: null,
    revocations: [],
    pdf: null,
    createdBy: { id: actor.userId, name: actor.name },
  } as Omit<NewDecision, 'sequence' | 'number'>;
}
