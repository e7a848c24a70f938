import type { OrgDelegation, OrgKind, OrgLevel } from '../../core/shared/org-levels.js';
import type { Role } from '../lib/labels';

/** Shapes the pages read from the API (the OpenAPI document at /api/v1/openapi.json is the full contract). */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

export interface Person {
  id: string;
  name: string;
}

export interface CaseDocument {
  id: string;
  type: string;
  originalName: string;
  mimeType: string;
  size: number;
  sha256: string;
  uploadedBy: Person;
  uploadedAt: string;
  statusAtUpload: string;
}

export interface HistoryEntry {
  action: string;
  from: string | null;
  to: string | null;
  by: Person;
  at: string;
  note?: string;
}

export interface FundAllocation {
  fundId: string;
  fundCode: string;
  fundName: string;
  amount: number;
  paid: number;
}

export interface Tranche {
  no: number;
  label: string;
  percent: number;
  amount: number;
  paid: number;
  requiresDocuments?: string[];
}

export interface CaseRecord {
  id: string;
  code: string;
  programCode: string;
  subtype: string;
  campaignId: string | null;
  memberId: string;
  memberName: string;
  memberSnapshot: Record<string, unknown> | null;
  orgId: string;
  requestedAmount: number;
  recommendedAmount: number | null;
  approvedAmount: number | null;
  disbursedAmount: number;
  fundAllocations?: FundAllocation[];
  tranches?: Tranche[];
  situation?: string;
  details?: Record<string, unknown>;
  documents: CaseDocument[];
  status: string;
  history: HistoryEntry[];
  revision: number;
  allowedActions?: string[];
  createdBy: Person;
  submittedAt: string | null;
  decisionId: string | null;
  batchId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A member as lists show it (CCCD and account number masked) or as the single read shows it (full). */
export interface Member {
  id: string;
  fullName: string;
  dateOfBirth: string;
  gender: 'male' | 'female';
  citizenId: string;
  unionCardNo?: string;
  joinedUnionAt: string;
  orgId: string;
  orgPath: string[];
  phone?: string;
  address?: { province?: string; commune?: string; detail?: string };
  bankAccount?: { bankBin: string; accountNo: string; accountName: string } | null;
  createdAt: string;
  updatedAt: string;
}

export interface Org {
  id: string;
  code: string;
  name: string;
  shortName: string;
  level: OrgLevel;
  /** Province level: provincial_federation or central_sector_union; null elsewhere. */
  kind?: OrgKind | null;
  /** Commune level: ["verify"] when the province lets it verify. */
  delegations?: OrgDelegation[];
  parentId: string | null;
  orgPath: string[];
  place?: string;
  address?: string;
  parentName?: string;
  active: boolean;
  /** Answered once organisations can be dissolved (SPEC §13); absent reads as active. */
  status?: 'active' | 'dissolved';
  createdAt: string;
  updatedAt: string;
}

export interface UserAccount {
  id: string;
  username: string;
  fullName: string;
  title?: string;
  orgId: string;
  orgPath: string[];
  roles: Role[];
  active: boolean;
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
}
