/**
 * Vietnamese names of the case statuses, for people: the API description, report files and the web pages all
 * show these. Plain data with no imports, so the pages read this one table (workflow.ts types it by status).
 */
export const CASE_STATUS_NAMES = {
  draft: 'Nháp',
  submitted: 'Đã gửi',
  returned: 'Bị trả lại',
  verified: 'Đã thẩm định',
  approved: 'Đã phê duyệt',
  partially_disbursed: 'Đã chi một phần',
  disbursed: 'Đã chi đủ',
  closed: 'Đã đóng',
  rejected: 'Bị từ chối',
  revoked: 'Đã thu hồi',
  cancelled: 'Đã rút',
} as const;
