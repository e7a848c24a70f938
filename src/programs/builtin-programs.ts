/**
 * The built-in programs of SPEC §4, as data. First start inserts any that are missing; an administrator
 * may add others with their own rules. Amounts are VND integers.
 */
export interface TrancheRule {
  label: string;
  percent: number;
  requiresDocuments?: string[];
}

export interface ProgramRules {
  maxAmount: Record<string, number>;
  minMembershipMonths: number;
  frequency: 'once_per_member' | 'once_per_campaign';
  requiredDocuments: Record<string, string[]>;
  requiresVerification: boolean;
  requiresCampaign: boolean;
  tranches: TrancheRule[];
  /** Optional document types accepted besides those the stages and tranches require. */
  documentTypes?: string[];
  /**
   * The most a member may receive from the program over `years` years (approved amounts that stand), set by a
   * province; none when absent or null (cases/rules/member-cap.ts).
   */
  maxAmountPerMember?: { amount: number; years: number } | null;
}

export interface ProgramData {
  code: string;
  name: string;
  codePrefix: string;
  active: boolean;
  rules: ProgramRules;
}

const singleTranche: TrancheRule[] = [{ label: 'Chi trả một lần', percent: 100 }];

export const BUILTIN_PROGRAMS: ProgramData[] = [
  {
    code: 'union_house',
    name: 'Mái ấm Công đoàn',
    codePrefix: 'MAC',
    active: true,
    rules: {
      maxAmount: { new_build: 50_000_000, repair: 25_000_000 },
      minMembershipMonths: 12,
      frequency: 'once_per_member',
      requiredDocuments: {
        submit: ['application_form', 'commune_confirmation', 'land_certificate', 'house_photo'],
        verify: ['site_survey_minutes'],
        close: ['handover_minutes'],
      },
      requiresVerification: true,
      requiresCampaign: false,
      tranches: [
        { label: 'Khởi công', percent: 50 },
        { label: 'Hoàn thành, bàn giao', percent: 50, requiresDocuments: ['handover_minutes'] },
      ],
    },
  },
  {
    code: 'tet_gift',
    name: 'Quà Tết / Tết Sum vầy',
    codePrefix: 'TET',
    active: true,
    rules: {
      maxAmount: { gift: 1_000_000 },
      minMembershipMonths: 0,
      frequency: 'once_per_campaign',
      requiredDocuments: {},
      requiresVerification: true,
      requiresCampaign: true,
      tranches: singleTranche,
    },
  },
  {
    code: 'disaster_relief',
    name: 'Hỗ trợ thiên tai, hỏa hoạn',
    codePrefix: 'TT',
    active: true,
    rules: {
      maxAmount: {
        death: 10_000_000,
        house_collapsed: 10_000_000,
        house_damaged: 3_000_000,
        injured: 2_000_000,
        property_loss: 1_000_000,
      },
      minMembershipMonths: 0,
      frequency: 'once_per_campaign',
      requiredDocuments: {},
      requiresVerification: true,
      requiresCampaign: true,
      tranches: singleTranche,
    },
  },
];
