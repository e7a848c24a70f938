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
import type { DecisionLine, NewDecision } from './decisions.repository.js';
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

const SAME_DECISION = 'Các hồ sơ của một quyết định phải cùng tỉnh, cùng chương trình và cùng đợt';

/**
 * The cases of one decision, taken a part at a time (a list of 50,000 is read in chunks, issue.service.ts):
 * checks that they belong together, makes their printed lines, and keeps what the decision itself records of
 * them (ids, total, the organisations that may read it) without holding the cases.
 */
export class DecisionCases {
  first: CaseRecord | null = null;
  readonly caseIds: Types.ObjectId[] = [];
  totalAmount = 0;
  /** Every organisation on the cases' paths: each may read the decision. */
  readonly scope = new Map<string, Types.ObjectId>();
  private readonly orgs = new Map<string, OrgRecord | null>();

  /** The organisation, read once per decision. */
  async org(id: string): Promise<OrgRecord | null> {
    if (!this.orgs.has(id)) this.orgs.set(id, await orgsRepository.findById(id));
    return this.orgs.get(id) ?? null;
  }

  /** Adds approved cases (checked by the caller) and answers their lines, in the order given. */
  async add(cases: readonly CaseRecord[]): Promise<DecisionLine[]> {
    const first = (this.first ??= cases[0] ?? null);
    if (!first) return [];
    const provinceId = provinceIdOf(first.orgPath);
    const apart = (c: CaseRecord) =>
      provinceIdOf(c.orgPath) !== provinceId ||
      c.programCode !== first.programCode ||
      String(c.campaignId) !== String(first.campaignId);
    if (!provinceId || cases.some(apart)) throw new ValidationError([{ path: 'caseIds', message: SAME_DECISION }]);
    const lines: DecisionLine[] = [];
    for (const c of cases) {
      const amount = c.approvedAmount ?? 0;
      lines.push({
        caseId: c._id,
        caseCode: c.code,
        memberName: c.memberSnapshot?.fullName ?? c.memberName,
        citizenIdMasked: mask(c.memberSnapshot?.citizenId ?? c.memberCitizenId) ?? '',
        orgId: c.orgId,
        orgName: (await this.org(String(c.orgId)))?.name ?? '',
        subtype: c.subtype,
        amount,
      });
      this.caseIds.push(c._id);
      this.totalAmount += amount;
      for (const orgId of c.orgPath) this.scope.set(String(orgId), orgId);
    }
    return lines;
  }
}

/**
 * Everything a decision for these approved cases records, filled in from the template in force for the
 * issuing province: one case makes a single decision (its line kept in it), several a batch decision whose
 * lines the caller keeps in `decision_lines`. The record is complete, so its PDF can be rendered from it (and
 * its lines) at any time, with the same bytes.
 */
export async function draftDecision(
  id: Types.ObjectId,
  cases: DecisionCases,
  singleLine: DecisionLine | null,
  actor: Actor,
  signerUserId: string,
  input: SignerInput,
): Promise<Omit<NewDecision, 'sequence' | 'number'>> {
  const first = cases.first!;
  const count = cases.caseIds.length;
  const issuer = (await cases.org(provinceIdOf(first.orgPath)!))!;
  const parent = issuer.parentId ? await orgsRepository.findById(String(issuer.parentId)) : null;
  const program = await findProgram(first.programCode);
  const campaign = first.campaignId ? await campaignsRepository.findById(String(first.campaignId)) : null;
  const { templates, publicBaseUrl } = decisionSettings();
  const template = templates.forProgram(program.code, issuer.code);
  const issuedAt = input.decisionDate ?? vnDay(count === 1 && first.approvedAt ? first.approvedAt : new Date());
  const { totalAmount } = cases;
  const parentName = issuer.parentName || parent?.name || '';
  const values: Partial<Record<Placeholder, string>> = {
    issuerName: issuer.name,
    issuerShortName: issuer.shortName,
    parentName,
    place: issuer.place ?? '',
    programName: program.name,
    campaignName: campaign?.name ?? '',
    caseCount: formatVnd(count),
    totalAmount: formatVndWithUnit(totalAmount),
    totalAmountInWords: amountInWords(totalAmount),
  };
  if (singleLine) {
    Object.assign(values, {
      beneficiaryName: singleLine.memberName,
      unionName: singleLine.orgName,
      upperUnionName: first.orgPath[2] ? ((await cases.org(String(first.orgPath[2])))?.name ?? '') : '',
      subtypeName: template.subtypes[first.subtype] ?? first.subtype,
      caseCode: first.code,
      amount: formatVndWithUnit(totalAmount),
      amountInWords: amountInWords(totalAmount),
    });
  }
  const texts = textsFilled(singleLine ? template : template.batch, values);
  const signer = await signerOf(signerUserId, input);
  const verifyToken = newVerifyToken();
  const scope = new Map([...issuer.orgPath.map((orgId) => [String(orgId), orgId] as const), ...cases.scope]);

  return {
    _id: id,
    year: Number(issuedAt.slice(0, 4)),
    issuedAt,
    issuerOrgId: issuer._id,
    issuerName: issuer.name,
    issuerShortName: issuer.shortName,
    scopeOrgIds: [...scope.values()],
    kind: singleLine ? 'single' : 'batch',
    signerName: signer.name,
    signerTitle: signer.title,
    programCode: program.code,
    campaignId: first.campaignId ?? null,
    caseIds: cases.caseIds,
    lines: singleLine ? [singleLine] : [],
    lineCount: count,
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
