import type { ReactNode } from 'react';
import { Badge, Button, Card, Descriptions, Flex } from 'antd';
import type { Org } from '../../api/types';
import { DELEGATION_NAMES, KIND_NAMES, label, LEVEL_NAMES } from '../../lib/labels';
import { ORG_STATUS_NAMES, orgStatusOf } from './OrgTags';
import { ReorganiseButtons } from './ReorganiseButtons';
import type { ReorganisationKind } from './reorganisation-api';

interface Props {
  org: Org;
  onAddChild?: () => void;
  onEdit: () => void;
  onAddUser: () => void;
  /** More buttons after the admin's own (for example reorganising the organisation). */
  actions?: ReactNode;
  /** Move, dissolve or merge (SPEC §13), offered only where the API allows it. */
  onReorganise?: (kind: ReorganisationKind) => void;
}

/** Level, kind and delegations as rows, only those the organisation's level has. */
function structureRows(org: Org) {
  return [
    { key: 'level', label: 'Cấp', children: label(LEVEL_NAMES, org.level) },
    ...(org.level === 'province'
      ? [{ key: 'kind', label: 'Loại', children: label(KIND_NAMES, org.kind ?? 'provincial_federation') }]
      : []),
    ...(org.level === 'commune'
      ? [
          {
            key: 'delegations',
            label: 'Ủy quyền',
            children: org.delegations?.length
              ? org.delegations.map((d) => label(DELEGATION_NAMES, d)).join(', ')
              : 'Không (tỉnh thẩm định)',
          },
        ]
      : []),
  ];
}

/** The selected organisation and what the admin can do with it. */
export function OrgDetails({ org, onAddChild, onEdit, onAddUser, actions, onReorganise }: Props) {
  const status = orgStatusOf(org);
  return (
    <Card title={org.name} styles={{ title: { whiteSpace: 'normal' } }}>
      <Descriptions
        column={1}
        size="small"
        bordered
        items={[
          { key: 'code', label: 'Mã', children: org.code },
          { key: 'short', label: 'Tên viết tắt', children: org.shortName },
          ...structureRows(org),
          { key: 'place', label: 'Địa danh trên quyết định', children: org.place || '—' },
          { key: 'address', label: 'Địa chỉ', children: org.address || '—' },
          { key: 'parentName', label: 'Cơ quan chủ quản', children: org.parentName || '—' },
          {
            key: 'active',
            label: 'Trạng thái',
            children: <Badge status={status === 'active' ? 'success' : 'error'} text={ORG_STATUS_NAMES[status]} />,
          },
        ]}
      />
      <Flex gap={8} wrap style={{ marginTop: 16 }}>
        {onAddChild && (
          <Button type="primary" onClick={onAddChild}>
            Thêm đơn vị trực thuộc
          </Button>
        )}
        <Button onClick={onEdit}>Sửa tổ chức</Button>
        <Button onClick={onAddUser}>Thêm người dùng</Button>
        {actions}
        {onReorganise && <ReorganiseButtons org={org} onReorganise={onReorganise} />}
      </Flex>
    </Card>
  );
}
