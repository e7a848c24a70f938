import { Button, Card, Descriptions, Flex } from 'antd';
import type { Org } from '../../api/types';
import { label, LEVEL_NAMES } from '../../lib/labels';
import { ActiveBadge } from './ActiveBadge';
import { ReorganiseButtons } from './ReorganiseButtons';
import type { ReorganisationKind } from './reorganisation-api';

interface Props {
  org: Org;
  onAddChild?: () => void;
  onEdit: () => void;
  onAddUser: () => void;
  /** Move, dissolve or merge (SPEC §13), offered only where the API allows it. */
  onReorganise?: (kind: ReorganisationKind) => void;
}

/** The selected organisation and what the admin can do with it. */
export function OrgDetails({ org, onAddChild, onEdit, onAddUser, onReorganise }: Props) {
  return (
    <Card title={org.name} styles={{ title: { whiteSpace: 'normal' } }}>
      <Descriptions
        column={1}
        size="small"
        bordered
        items={[
          { key: 'code', label: 'Mã', children: org.code },
          { key: 'short', label: 'Tên viết tắt', children: org.shortName },
          { key: 'level', label: 'Cấp', children: label(LEVEL_NAMES, org.level) },
          { key: 'place', label: 'Địa danh trên quyết định', children: org.place || '—' },
          { key: 'address', label: 'Địa chỉ', children: org.address || '—' },
          { key: 'parentName', label: 'Cơ quan chủ quản', children: org.parentName || '—' },
          {
            key: 'active',
            label: 'Trạng thái',
            children: <ActiveBadge active={org.active} inactiveText="Ngừng hoạt động" />,
          },
        ]}
      />
      <Flex gap={8} wrap style={{ marginTop: 16 }}>
        {onAddChild && <Button type="primary" onClick={onAddChild}>Thêm đơn vị trực thuộc</Button>}
        <Button onClick={onEdit}>Sửa tổ chức</Button>
        <Button onClick={onAddUser}>Thêm người dùng</Button>
        {onReorganise && <ReorganiseButtons org={org} onReorganise={onReorganise} />}
      </Flex>
    </Card>
  );
}
