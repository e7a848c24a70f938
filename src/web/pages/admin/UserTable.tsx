import { Button, Flex, Popconfirm, Tag, Typography, type TableColumnsType } from 'antd';
import type { Page, UserAccount } from '../../api/types';
import { OrgName } from '../../components/EntityNames';
import { PagedTable } from '../../components/PagedTable';
import { dateTime } from '../../lib/format';
import { label, ROLE_NAMES } from '../../lib/labels';
import { ActiveBadge } from './ActiveBadge';

interface Props {
  data: Page<UserAccount> | undefined;
  loading: boolean;
  meId: string;
  pageSize: number;
  onPage: (page: number) => void;
  onEdit: (user: UserAccount) => void;
  onPassword: (user: UserAccount) => void;
  onActive: (user: UserAccount, active: boolean) => void;
}

/** Users of the subtree; nobody is offered locking themselves (the API refuses it). */
export function UserTable({ data, loading, meId, pageSize, onPage, onEdit, onPassword, onActive }: Props) {
  const columns: TableColumnsType<UserAccount> = [
    {
      title: 'Người dùng',
      dataIndex: 'username',
      render: (username: string, user) => (
        <Flex vertical>
          <Typography.Text strong>{user.fullName}</Typography.Text>
          <Typography.Text type="secondary">{username}</Typography.Text>
        </Flex>
      ),
    },
    { title: 'Chức danh', dataIndex: 'title', render: (title?: string) => title || '—', responsive: ['xl'] },
    { title: 'Đơn vị', dataIndex: 'orgId', render: (id: string) => <OrgName id={id} />, responsive: ['lg'] },
    {
      title: 'Vai trò',
      dataIndex: 'roles',
      render: (roles: UserAccount['roles']) => (
        <Flex gap={4} wrap>
          {roles.map((role) => (
            <Tag key={role}>{label(ROLE_NAMES, role)}</Tag>
          ))}
        </Flex>
      ),
    },
    {
      title: 'Trạng thái',
      dataIndex: 'active',
      render: (active: boolean) => <ActiveBadge active={active} inactiveText="Đã khóa" />,
    },
    {
      title: 'Đăng nhập gần nhất',
      dataIndex: 'lastLoginAt',
      render: (at: string | null) => dateTime(at),
      responsive: ['xxl'],
    },
    {
      title: 'Thao tác',
      key: 'actions',
      render: (_: unknown, user) => (
        <Flex gap={4} wrap>
          <Button size="small" onClick={() => onEdit(user)} aria-label={`Sửa ${user.username}`}>
            Sửa
          </Button>
          <Button size="small" onClick={() => onPassword(user)} aria-label={`Đặt lại mật khẩu ${user.username}`}>
            Đặt lại mật khẩu
          </Button>
          {user.id !== meId &&
            (user.active ? (
              <Popconfirm
                title={`Khóa tài khoản ${user.username}?`}
                description="Mọi phiên đăng nhập của người này kết thúc ngay."
                okText="Khóa"
                cancelText="Hủy"
                onConfirm={() => onActive(user, false)}
              >
                <Button size="small" danger aria-label={`Khóa ${user.username}`}>
                  Khóa
                </Button>
              </Popconfirm>
            ) : (
              <Button size="small" onClick={() => onActive(user, true)} aria-label={`Mở khóa ${user.username}`}>
                Mở khóa
              </Button>
            ))}
        </Flex>
      ),
    },
  ];
  return (
    <PagedTable<UserAccount>
      data={data}
      loading={loading}
      columns={columns}
      pageSize={pageSize}
      unit="người dùng"
      emptyText="Không có người dùng phù hợp."
      onPage={onPage}
    />
  );
}
