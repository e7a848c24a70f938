/**
 * What GET /reports/summary and /reports/disbursements answer: the service's own shapes (types only, nothing
 * of the server is bundled) and the pure lists of groups and open statuses, so the page cannot drift from the API.
 */
import type { RegisterReport as ServedRegister } from '../../../reports/reports.service';
import { GROUP_BY, type GroupDim } from '../../../core/shared/report-groups';

export type { RegisterLine, SummaryReport } from '../../../reports/reports.service';
export type { Figures } from '../../../reports/summary';
export type { GroupDim };
export { OPEN_STATUSES } from '../../../core/shared/report-groups';

/** The register as JSON: the route leaves out the organisation's print details. */
export type RegisterReport = Omit<ServedRegister, 'printOrg'>;
export type { SummaryRow } from '../../../reports/reports.service';
export { GROUP_BY };

export const GROUP_NAMES: Record<GroupDim, string> = {
  program: 'Chương trình',
  subtype: 'Loại hỗ trợ',
  org: 'Đơn vị trực thuộc',
  fund: 'Nguồn kinh phí',
  month: 'Tháng',
  campaign: 'Đợt hỗ trợ',
};

/** The query both reports share: the period and the reporting organisation (empty: the user's own). */
export interface ReportFilter {
  period?: string;
  from?: string;
  to?: string;
  orgId?: string;
}
