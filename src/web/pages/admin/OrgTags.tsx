import { Tag } from 'antd';
import type { Org } from '../../api/types';
import { DELEGATION_NAMES, KIND_NAMES, label, LEVEL_NAMES } from '../../lib/labels';
import { READABLE_TAG } from '../../lib/tag-colors';

/** An organisation's status: `status` where the API answers it (dissolved organisations), else the active switch. */
export function orgStatusOf(org: Org): 'active' | 'inactive' | 'dissolved' {
  if (org.status === 'dissolved') return 'dissolved';
  return org.active ? 'active' : 'inactive';
}

export const ORG_STATUS_NAMES: Record<ReturnType<typeof orgStatusOf>, string> = {
  active: 'Đang hoạt động',
  inactive: 'Ngừng hoạt động',
  dissolved: 'Đã giải thể',
};

/**
 * What the tree and the details say about an organisation (SPEC §2): its level, or for a province-level one its
 * kind (Cấp tỉnh / Công đoàn ngành trung ương), the delegations of a commune union, and a status other than active.
 */
export function OrgTags({ org }: { org: Org }) {
  const status = orgStatusOf(org);
  const central = org.level === 'province' && org.kind === 'central_sector_union';
  return (
    <>
      <Tag>{central ? label(KIND_NAMES, org.kind) : label(LEVEL_NAMES, org.level)}</Tag>
      {(org.delegations ?? []).map((d) => (
        <Tag key={d} color={READABLE_TAG.blue}>
          {label(DELEGATION_NAMES, d)}
        </Tag>
      ))}
      {status !== 'active' && <Tag color={READABLE_TAG.red}>{ORG_STATUS_NAMES[status]}</Tag>}
    </>
  );
}
