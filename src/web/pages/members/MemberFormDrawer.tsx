import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Drawer, Flex, Form, Grid, Spin } from 'antd';
import { useMemo } from 'react';
import { apiGet, apiSend } from '../../api/client';
import { useMe } from '../../api/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormMutation } from '../../components/useFormMutation';
import { MemberFields } from './MemberFields';
import { changedFields, emptyMember, memberBody, memberValues, type MemberFormValues } from './member-values';

interface Props {
  /** The member to edit; none to create one. */
  memberId?: string;
  onClose: () => void;
}

/**
 * Editing reads the member once in full (an audited read, SPEC §3) and keeps nothing of it in the cache
 * after the drawer closes.
 */
function useFullMember(id: string | undefined) {
  return useQuery({
    queryKey: ['member', id, 'full'],
    queryFn: () => apiGet(`/members/${id}`),
    enabled: Boolean(id),
    gcTime: 0,
    staleTime: Infinity,
  });
}

export function MemberFormDrawer({ memberId, onClose }: Props) {
  const me = useMe();
  const screens = Grid.useBreakpoint();
  const editing = Boolean(memberId);
  const full = useFullMember(memberId);
  const initial = useMemo(
    () => (full.data ? memberValues(full.data) : emptyMember(me.org.level === 'grassroots' ? me.orgId : undefined)),
    [full.data, me],
  );

  return (
    <Drawer
      open
      title={editing ? 'Sửa thông tin đoàn viên' : 'Thêm đoàn viên'}
      size={screens.md ? 760 : '100%'}
      onClose={onClose}
      destroyOnHidden
    >
      <ErrorAlert error={full.error} />
      {editing && full.isLoading ? (
        <Spin tip="Đang tải…">
          <div style={{ minHeight: 120 }} />
        </Spin>
      ) : (
        (!editing || full.data) && <MemberForm memberId={memberId} initial={initial} onClose={onClose} />
      )}
    </Drawer>
  );
}

function MemberForm({
  memberId,
  initial,
  onClose,
}: {
  memberId?: string;
  initial: MemberFormValues;
  onClose: () => void;
}) {
  const [form] = Form.useForm<MemberFormValues>();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const mode = memberId ? 'edit' : 'create';

  const save = useFormMutation(form, {
    mutationFn: (values: MemberFormValues) => {
      const body = memberBody(values, mode);
      if (!memberId) return apiSend('POST', '/members', body);
      const changes = changedFields(memberBody(initial, 'edit'), body);
      return Object.keys(changes).length ? apiSend('PATCH', `/members/${memberId}`, changes) : Promise.resolve(null);
    },
    onSuccess: async (member) => {
      await queryClient.invalidateQueries({ queryKey: ['members'] });
      message.success(
        member ? (memberId ? 'Đã lưu thay đổi.' : `Đã thêm đoàn viên ${member.fullName}.`) : 'Không có thay đổi nào.',
      );
      onClose();
    },
  });

  return (
    <Form<MemberFormValues>
      form={form}
      layout="vertical"
      initialValues={initial}
      onFinish={save.send}
      disabled={save.pending}
      scrollToFirstError
    >
      {save.alert && <Alert type="error" showIcon role="alert" title={save.alert} style={{ marginBottom: 16 }} />}
      <MemberFields />
      <Flex gap={8} justify="end" wrap>
        <Button onClick={onClose}>Hủy</Button>
        <Button type="primary" htmlType="submit" loading={save.pending}>
          {memberId ? 'Lưu thay đổi' : 'Thêm đoàn viên'}
        </Button>
      </Flex>
    </Form>
  );
}
