import { READABLE_TAG } from './tag-colors';

export { documentTypeName, documentTypesOf, missingDocumentTypes } from '../../core/shared/documents-catalogue.js';

export type { Role } from '../../core/shared/roles.js';
export { ROLE_NAMES } from '../../core/shared/roles.js';
/** The same names as the API description and the report files. */
export { CASE_STATUS_NAMES as STATUS_NAMES } from '../../core/shared/status-names.js';

/** Readable tag colours (lib/tag-colors.ts): the preset ones fall under WCAG AA contrast. */
export const STATUS_COLORS: Record<string, string> = {
  draft: READABLE_TAG.grey,
  submitted: READABLE_TAG.blue,
  returned: READABLE_TAG.brown,
  verified: READABLE_TAG.cyan,
  approved: READABLE_TAG.green,
  partially_disbursed: READABLE_TAG.lime,
  disbursed: READABLE_TAG.darkGreen,
  closed: READABLE_TAG.grey,
  rejected: READABLE_TAG.red,
  revoked: READABLE_TAG.volcano,
  cancelled: READABLE_TAG.grey,
};

export const ACTION_NAMES: Record<string, string> = {
  create: 'Tạo hồ sơ',
  update: 'Sửa hồ sơ',
  submit: 'Gửi hồ sơ',
  verify: 'Thẩm định',
  return: 'Trả lại',
  reject: 'Từ chối',
  approve: 'Phê duyệt',
  revoke: 'Thu hồi',
  withdraw: 'Rút hồ sơ',
  close: 'Kết thúc',
  disburse: 'Chi trả',
  reverse: 'Hủy khoản chi',
  exclude: 'Loại khỏi danh sách',
};

export const SUBTYPE_NAMES: Record<string, string> = {
  new_build: 'Xây mới',
  repair: 'Sửa chữa',
  gift: 'Quà Tết',
  death: 'Có người chết',
  house_collapsed: 'Nhà bị sập, trôi',
  house_damaged: 'Nhà bị hư hỏng',
  injured: 'Bị thương',
  property_loss: 'Thiệt hại tài sản',
};

/** Levels, kinds and delegations of organisations (SPEC §2), named as the API's errors name them. */
export { DELEGATION_NAMES, KIND_NAMES, LEVEL_NAMES } from '../../core/shared/org-levels.js';

export const GENDER_NAMES: Record<string, string> = { male: 'Nam', female: 'Nữ' };

export function label(names: Record<string, string>, key: string | null | undefined): string {
  if (!key) return '—';
  return names[key] ?? key;
}
