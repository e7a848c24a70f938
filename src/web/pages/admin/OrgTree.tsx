import { READABLE_TAG } from '../../lib/tag-colors';
import { Tag, Tree, type TreeDataNode } from 'antd';
import type { Org } from '../../api/types';
import { label, LEVEL_NAMES } from '../../lib/labels';

interface Props {
  root: Org;
  childrenOf: Record<string, Org[]>;
  expanded: string[];
  selectedId: string;
  onExpand: (keys: string[]) => void;
  onSelect: (id: string) => void;
  onLoad: (parentId: string) => Promise<void>;
}

function OrgTitle({ org }: { org: Org }) {
  return (
    <span className="org-tree-title">
      {org.name} <Tag>{label(LEVEL_NAMES, org.level)}</Tag>
      {!org.active && <Tag color={READABLE_TAG.red}>Ngừng hoạt động</Tag>}
    </span>
  );
}

/** The organisation tree from the admin's own organisation down; each level is read when opened. */
export function OrgTree({ root, childrenOf, expanded, selectedId, onExpand, onSelect, onLoad }: Props) {
  const node = (org: Org): TreeDataNode => ({
    key: org.id,
    title: <OrgTitle org={org} />,
    isLeaf: org.level === 'grassroots',
    children: childrenOf[org.id]?.map(node),
  });
  return (
    <Tree
      aria-label="Cây tổ chức"
      blockNode
      showLine
      treeData={[node(root)]}
      expandedKeys={expanded}
      selectedKeys={[selectedId]}
      onExpand={(keys) => onExpand(keys.map(String))}
      onSelect={(keys) => keys[0] && onSelect(String(keys[0]))}
      loadData={(treeNode) => onLoad(String(treeNode.key))}
    />
  );
}
