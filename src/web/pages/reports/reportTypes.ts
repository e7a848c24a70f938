/**
 * What GET /reports/summary and /reports/disbursements answer (types from the OpenAPI document, api/types.ts)
 * and the pure lists of groups and open statuses, so the page cannot drift from the API.
 */
import { GROUP_BY, type GroupDim } from '../../../core/shared/report-groups';

export type { Figures, RegisterLine, RegisterReport, SummaryReport, SummaryRow } from '../../api/types';
export type { GroupDim };
export { OPEN_STATUSES } from '../../../core/shared/report-groups';
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
