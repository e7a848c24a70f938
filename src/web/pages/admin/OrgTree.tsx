import type { ReactNode } from 'react';
import { Tree, type TreeDataNode } from 'antd';
import type { Org } from '../../api/types';
import { OrgTags } from './OrgTags';

interface Props {
  root: Org;
  childrenOf: Record<string, Org[]>;
  expanded: string[];
  selectedId: string;
  onExpand: (keys: string[]) => void;
  onSelect: (id: string) => void;
  onLoad: (parentId: string) => Promise<void>;
  /** More for each node after its tags (for example an organisation's own actions or counts). */
  renderExtra?: (org: Org) => ReactNode;
}

function OrgTitle({ org, extra }: { org: Org; extra?: ReactNode }) {
  return (
    <span className="org-tree-title">
      {org.name} <OrgTags org={org} />
      {extra}
    </span>
  );
}

/** The organisation tree from the admin's own organisation down; each level is read when opened. */
export function OrgTree({ root, childrenOf, expanded, selectedId, onExpand, onSelect, onLoad, renderExtra }: Props) {
  const node = (org: Org): TreeDataNode => ({
    key: org.id,
    title: <OrgTitle org={org} extra={renderExtra?.(org)} />,
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
