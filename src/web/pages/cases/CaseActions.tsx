import { EditOutlined } from '@ant-design/icons';
import { Button, Flex } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { useSession } from '../../api/session';
import type { CaseAction } from '../../api/types';
import { ActionDialog } from './ActionDialog';
import { ACTIONS, EDITABLE_STATUSES } from './caseActions';
import type { CaseView } from './caseQueries';

interface CaseActionsProps {
  record: CaseView;
  cap: number | undefined;
  /** The papers the next step still lacks (documentRules.ts). */
  missing: string[];
  onStale: () => void;
  /** Takes the focus when a dialog closed and the button that opened it has gone (the case moved on). */
  onDone: () => void;
}

/** Buttons only for what the server says the user may do now (`allowedActions`, SPEC §12), each opening its dialog. */
export function CaseActions({ record, cap, missing, onStale, onDone }: CaseActionsProps) {
  const { hasRole } = useSession();
  const navigate = useNavigate();
  const [open, setOpen] = useState<CaseAction | null>(null);
  // A keyboard user must not be left on the page's body when the dialog and its button are gone.
  const wasOpen = useRef(false);
  useEffect(() => {
    if (open) wasOpen.current = true;
    else if (wasOpen.current) {
      wasOpen.current = false;
      if (!document.activeElement || document.activeElement === document.body) onDone();
    }
  }, [open, onDone]);
  const actions = record.allowedActions.filter((action) => ACTIONS[action]);
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
          <Button
            key={action}
            type={spec.primary ? 'primary' : 'default'}
            danger={spec.danger}
            onClick={() => setOpen(action)}
          >
            {spec.button}
          </Button>
        );
      })}
      {open && (
        <ActionDialog
          record={record}
          action={open}
          cap={cap}
          missing={missing}
          onClose={() => setOpen(null)}
          onStale={onStale}
        />
      )}
    </Flex>
  );
}
