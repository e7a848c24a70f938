import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Popconfirm, Typography } from 'antd';
import { apiGet, apiSend } from '../../api/client';
import type { LockedAccount } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ListTable } from '../../components/ListTable';
import { dateTime } from '../../lib/format';
import { errorText } from '../../lib/forms';

/** One username × address pair locked after too many wrong passwords (GET /admin/locked-accounts). */
const keyOf = (item: LockedAccount) => `${item.username}|${item.address}`;

/**
 * Sign-ins refused for a while after repeated wrong passwords: only the pair is locked, so the user still
 * signs in from elsewhere or from a device used before; "Mở khóa" ends the lock at once (recorded in the audit log).
 */
export function LockedAccountsPanel() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const locked = useQuery({
    queryKey: ['locked-accounts'],
    queryFn: () => apiGet('/admin/locked-accounts'),
  });
  const unlock = useMutation({
    mutationFn: (item: LockedAccount) =>
      apiSend('POST', '/admin/locked-accounts/unlock', { username: item.username, address: item.address }),
    onSuccess: async (_result, item) => {
      await queryClient.invalidateQueries({ queryKey: ['locked-accounts'] });
      message.success(`Đã mở khóa ${item.username} tại địa chỉ ${item.address}.`);
    },
    onError: (error) => message.error(errorText(error)),
  });

  return (
    <>
      <Typography.Paragraph type="secondary">
        Tài khoản bị tạm khóa vì nhập sai mật khẩu nhiều lần, chỉ tại địa chỉ đó. Người dùng vẫn đăng nhập được từ nơi
        khác hoặc từ thiết bị đã dùng trước đây.
      </Typography.Paragraph>
      {locked.error ? <ErrorAlert error={locked.error} /> : null}
      <ListTable<LockedAccount>
        rowKey={keyOf}
        loading={locked.isLoading}
        dataSource={locked.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: 'Không có tài khoản nào đang bị tạm khóa.' }}
        columns={[
          { title: 'Tên đăng nhập', dataIndex: 'username' },
          {
            title: 'Họ và tên',
            render: (_, item) =>
              item.user?.fullName ?? <Typography.Text type="secondary">(không có tài khoản này)</Typography.Text>,
          },
          { title: 'Địa chỉ', dataIndex: 'address' },
          { title: 'Số lần sai', dataIndex: 'failures', align: 'right' },
          { title: 'Khóa đến', render: (_, item) => dateTime(item.lockedUntil) },
          {
            key: 'actions',
            title: '',
            render: (_, item) => (
              <Popconfirm
                title={`Mở khóa ${item.username} tại ${item.address}?`}
                okText="Mở khóa"
                cancelText="Hủy"
                onConfirm={() => unlock.mutate(item)}
              >
                <Button
                  size="small"
                  loading={unlock.isPending && unlock.variables && keyOf(unlock.variables) === keyOf(item)}
                >
                  Mở khóa
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
    </>
  );
}
