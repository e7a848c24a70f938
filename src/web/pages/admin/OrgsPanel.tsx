import { useQueryClient } from '@tanstack/react-query';
import { Card, Col, Row, Spin } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useMe } from '../../api/session';
import type { Org } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useOrg } from '../../components/OrgPicker';
import { OrgDetails } from './OrgDetails';
import { childLevels, OrgFormModal, type OrgFormTarget } from './OrgFormModal';
import { OrgHistory } from './OrgHistory';
import { OrgTree } from './OrgTree';
import { ReorganisationDialog } from './ReorganisationDialog';
import type { ReorganisationKind } from './reorganisation-api';
import { UserFormModal } from './UserFormModal';
import { useOrgTree } from './use-org-tree';

/** The organisation tree of the admin's subtree beside the selected organisation. */
export function OrgsPanel() {
  const me = useMe();
  const root = useOrg(me.orgId);
  const tree = useOrgTree();
  const [selectedId, setSelectedId] = useState(me.orgId);
  const [orgForm, setOrgForm] = useState<OrgFormTarget | null>(null);
  const [userOrg, setUserOrg] = useState<Org | null>(null);
  const [reorganise, setReorganise] = useState<{ org: Org; kind: ReorganisationKind } | null>(null);
  const { load, setExpanded } = tree;

  // The admin's own organisation opens at once with its direct children.
  useEffect(() => {
    void load(me.orgId).then(() => setExpanded([me.orgId]));
  }, [load, setExpanded, me.orgId]);

  // After a move the organisation may sit under a parent not opened in the tree: read it on its own then.
  const alone = useOrg(selectedId);
  const selected = selectedId === me.orgId ? root.data : (tree.find(selectedId) ?? alone.data);

  const saved = async (org: Org) => {
    setOrgForm(null);
    if (org.parentId && org.id !== me.orgId) await tree.refresh(org.parentId);
    setSelectedId(org.id);
  };

  const queryClient = useQueryClient();
  const refreshAfterReorganisation = useCallback(() => {
    if (reorganise?.org.parentId) void tree.refresh(reorganise.org.parentId);
    void tree.refresh(me.orgId);
    void queryClient.invalidateQueries({ queryKey: ['org'] });
    void queryClient.invalidateQueries({ queryKey: ['org-history'] });
  }, [reorganise, tree, me.orgId, queryClient]);

  if (root.error) return <ErrorAlert error={root.error} />;
  if (!root.data)
    return (
      <Spin tip="Đang tải…">
        <div style={{ minHeight: 120 }} />
      </Spin>
    );
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={11}>
        <Card title="Cây tổ chức">
          <OrgTree
            root={root.data}
            childrenOf={tree.children}
            expanded={tree.expanded}
            selectedId={selectedId}
            onExpand={tree.setExpanded}
            onSelect={setSelectedId}
            onLoad={tree.load}
          />
        </Card>
      </Col>
      <Col xs={24} lg={13}>
        {selected && (
          <OrgDetails
            org={selected}
            onAddChild={
              childLevels(selected.level).length ? () => setOrgForm({ mode: 'create', parent: selected }) : undefined
            }
            onEdit={() => setOrgForm({ mode: 'edit', org: selected, own: selected.id === me.orgId })}
            onAddUser={() => setUserOrg(selected)}
            onReorganise={selected.id === me.orgId ? undefined : (kind) => setReorganise({ org: selected, kind })}
          />
        )}
        {selected && <OrgHistory org={selected} />}
      </Col>
      {orgForm && <OrgFormModal target={orgForm} onClose={() => setOrgForm(null)} onSaved={(org) => void saved(org)} />}
      {userOrg && <UserFormModal target={{ mode: 'create', org: userOrg }} onClose={() => setUserOrg(null)} />}
      {reorganise && (
        <ReorganisationDialog {...reorganise} onClose={() => setReorganise(null)} onDone={refreshAfterReorganisation} />
      )}
    </Row>
  );
}
