import { Types } from 'mongoose';
import { NotFoundError, ValidationError } from '../core/errors.js';
import { isInScope, type Principal } from '../core/scope.js';
import { searchKey } from '../core/search-text.js';
import { orgsRepository } from '../orgs/index.js';
import { findProgram } from '../programs/index.js';
import type { DecisionStatus } from './decisions.model.js';
import { decisionsRepository, type DecisionRecord } from './decisions.repository.js';
import { ensurePdf } from './issue.service.js';

const WHAT = 'quyết định';

/**
 * What anyone may learn about a decision to compare the paper with: nothing personal (no beneficiary, no
 * signer, no reason of a revocation). The same answer whichever way the decision was found.
 */
export interface Verification {
  number: string;
  issuedAt: string;
  issuer: { name: string };
  programCode: string;
  programName: string;
  /** One case per beneficiary: how many people the decision supports. */
  caseCount: number;
  totalAmount: number;
  status: DecisionStatus;
  revokedAt: Date | null;
  sha256: string;
}

export async function verificationOf(found: DecisionRecord): Promise<Verification> {
  const decision = await ensurePdf(found);
  const programName = await findProgram(decision.programCode).then(
    (p) => p.name,
    () => decision.programCode,
  );
  return {
    number: decision.number,
    issuedAt: decision.issuedAt,
    issuer: { name: decision.issuerName },
    programCode: decision.programCode,
    programName,
    caseCount: decision.caseIds.length,
    totalAmount: decision.totalAmount,
    status: decision.status as DecisionStatus,
    revokedAt: decision.revokedAt ?? null,
    sha256: decision.pdf!.sha256,
  };
}

/** The public check behind the QR code and the printed link of every decision issued with a token. */
export async function verifyDecisionByToken(token: string): Promise<Verification> {
  const decision = await decisionsRepository.findByVerifyToken(token);
  if (!decision) throw new NotFoundError(WHAT);
  return verificationOf(decision);
}

/**
 * Whether the paper of this decision prints the id link: set by the migration; a decision it has not reached
 * yet is judged by its printed link itself, which never changes.
 */
export function printsIdLink(decision: DecisionRecord): boolean {
  if (typeof decision.legacyVerify === 'boolean') return decision.legacyVerify;
  return !!decision.content?.verifyUrl?.endsWith(`/api/v1/decisions/${String(decision._id)}/verify`);
}

/**
 * `GET /decisions/:id/verify`: a signed-in reader sees the decisions of its scope. Without signing in, only a
 * decision whose paper prints this very link answers (those issued before the token); any other id is 404,
 * so ids can no longer be walked to find decisions.
 */
export async function verifyDecisionById(
  principal: Principal | undefined,
  id: string,
): Promise<Verification & { id: string }> {
  const decision = await decisionsRepository.findById(id);
  const visible =
    decision &&
    (principal
      ? isInScope(principal, decision.scopeOrgIds.map(String)) || printsIdLink(decision)
      : printsIdLink(decision));
  if (!decision || !visible) throw new NotFoundError(WHAT);
  return { id: String(decision._id), ...(await verificationOf(decision)) };
}

/** `15/QĐ-LĐLĐ`, `15/QD-LDLD` or just `15`: the sequence, and the rest as printed (compared without diacritics). */
const NUMBER = /^\s*(\d{1,7})\s*(?:\/\s*(\S.*?))?\s*$/;

/**
 * Finds a decision by the number printed on the paper and its issuer's code. Numbers restart every year: when
 * the number names decisions of several years, the year must be given.
 */
export async function verifyDecisionByNumber(number: string, issuerCode: string, year?: number): Promise<Verification> {
  const match = NUMBER.exec(number);
  if (!match) throw new ValidationError([{ path: 'number', message: 'Số quyết định phải có dạng 15/QĐ-LĐLĐ' }]);
  const issuer = await orgsRepository.findByCode(issuerCode.trim().toUpperCase());
  if (!issuer) throw new NotFoundError(WHAT);
  const suffix = match[2] ? searchKey(match[2]).replace(/\s+/g, '') : null;
  const found = (await decisionsRepository.findByIssuerSequence(issuer._id, Number(match[1]), year)).filter(
    (d) => !suffix || searchKey(d.number.split('/').slice(1).join('/')) === suffix,
  );
  if (!found.length) throw new NotFoundError(WHAT);
  if (found.length > 1) {
    throw new ValidationError(
      [
        {
          path: 'year',
          message: `Số này có ở các năm ${found
            .map((d) => d.year)
            .sort()
            .join(', ')}: hãy chọn năm ban hành`,
        },
      ],
      'Có nhiều quyết định cùng số; hãy cho biết năm ban hành.',
    );
  }
  return verificationOf(found[0]!);
}

/** A decision as the public summary lists it: number, date, total, how many people, standing or revoked. */
export interface PublicDecision {
  number: string;
  issuedAt: string;
  programCode: string;
  campaignId: string | null;
  caseCount: number;
  totalAmount: number;
  status: DecisionStatus;
}

export async function decisionsIssuedBy(issuerOrgId: string, from: string, to: string): Promise<PublicDecision[]> {
  const found = await decisionsRepository.issuedBy(new Types.ObjectId(issuerOrgId), from, to);
  return found.map((d) => ({
    number: d.number,
    issuedAt: d.issuedAt,
    programCode: d.programCode,
    campaignId: d.campaignId ? String(d.campaignId) : null,
    caseCount: d.caseIds.length,
    totalAmount: d.totalAmount,
    status: d.status as DecisionStatus,
  }));
}
