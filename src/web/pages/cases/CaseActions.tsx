import { EditOutlined } from '@ant-design/icons';
import { Button, Flex } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useSession } from '../../api/session';
import { ActionDialog } from './ActionDialog';
import { ACTIONS, EDITABLE_STATUSES } from './caseActions';
import type { CaseView } from './caseQueries';

/** Buttons only for what the server says the user may do now (`allowedActions`, SPEC §12), each opening its dialog. */
export function CaseActions({ record, cap, onStale }: { record: CaseView; cap: number | undefined; onStale: () => void }) {
  const { hasRole } = useSession();
  const navigate = useNavigate();
  const [open, setOpen] = useState<string | null>(null);
  const actions = (record.allowedActions ?? []).filter((action) => ACTIONS[action]);
  const editable = hasRole('grassroots_officer') && EDITABLE_STATUSES.includes(record.status);

  return (
    <Flex gap={8} wrap role="group" aria-label="Thao tác với hồ sơ">
      {editable && (
        <Button icon={<EditOutlined />} onClick={() => navigate(`/cases/${record.id}/edit`)}>
          Sửa hồ sơ
        </Button>
      )}
      {actions.map((action) => {
        const spec = ACTIONS[action]!;
        return (
          <Button key={action} type={spec.primary ? 'primary' : 'default'} danger={spec.danger} onClick={() => setOpen(action)}>
            {spec.button}
          </Button>
        );
      })}
      {open && <ActionDialog record={record} action={open} cap={cap} onClose={() => setOpen(null)} onStale={onStale} />}
    </Flex>
  );
}
