import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Form, Input, Select } from 'antd';
import { useState } from 'react';
import { apiGet, apiSend } from '../../api/client';
import { useMe } from '../../api/session';
import type { UserAccount } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OrgPicker } from '../../components/OrgPicker';
import { errorText } from '../../lib/forms';
import { PasswordModal } from './PasswordModal';
import { ROLE_FILTER_OPTIONS } from './roles';
import { UserFormModal, type UserFormTarget } from './UserFormModal';
import { UserTable } from './UserTable';

const PAGE_SIZE = 20;

interface Filters {
  q?: string;
  orgId?: string;
  role?: string;
  active?: 'true' | 'false';
  page: number;
}

const itemStyle = { flex: '1 1 200px', marginBottom: 12, minWidth: 0 };

/** Users of the admin's subtree with filters; create, edit roles and title, lock and unlock, reset a password. */
export function UsersPanel() {
  const me = useMe();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState<Filters>({ page: 1 });
  const [form, setForm] = useState<UserFormTarget | null>(null);
  const [passwordFor, setPasswordFor] = useState<UserAccount | null>(null);
  const query = { ...filters, limit: PAGE_SIZE, sort: 'username' };
  const users = useQuery({
    queryKey: ['users', query],
    queryFn: () => apiGet('/users', query),
    placeholderData: keepPreviousData,
  });
  const setFilter = (changes: Partial<Filters>) => setFilters((current) => ({ ...current, page: 1, ...changes }));

  const setActive = useMutation({
    mutationFn: ({ user, active }: { user: UserAccount; active: boolean }) =>
      apiSend('PATCH', `/users/${user.id}`, { active }),
    onSuccess: async (user) => {
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      message.success(
        user.active ? `Đã mở khóa ${user.username}.` : `Đã khóa ${user.username}; mọi phiên đăng nhập đã kết thúc.`,
      );
    },
    onError: (error) => message.error(errorText(error)),
  });

  return (
    <>
      <Flex justify="end" style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm({ mode: 'create' })}>
          Thêm người dùng
        </Button>
      </Flex>
      <Form layout="vertical" style={{ display: 'flex', flexWrap: 'wrap', columnGap: 16 }}>
        <Form.Item
          label="Tìm theo tên đăng nhập hoặc họ tên"
          htmlFor="user-search"
          style={{ ...itemStyle, flex: '2 1 260px' }}
        >
          <Input.Search
            id="user-search"
            allowClear
            enterButton="Tìm"
            onSearch={(text) => setFilter({ q: text.trim() || undefined })}
          />
        </Form.Item>
        <Form.Item label="Đơn vị" htmlFor="user-org" style={itemStyle}>
          <OrgPicker
            id="user-org"
            allowClear
            placeholder="Tất cả"
            value={filters.orgId}
            onChange={(orgId) => setFilter({ orgId })}
          />
        </Form.Item>
        <Form.Item label="Vai trò" htmlFor="user-role" style={itemStyle}>
          <Select
            id="user-role"
            allowClear
            placeholder="Tất cả"
            options={ROLE_FILTER_OPTIONS}
            value={filters.role}
            onChange={(role) => setFilter({ role })}
          />
        </Form.Item>
        <Form.Item label="Trạng thái" htmlFor="user-active" style={itemStyle}>
          <Select
            id="user-active"
            allowClear
            placeholder="Tất cả"
            value={filters.active}
            onChange={(active) => setFilter({ active })}
            options={[
              { value: 'true', label: 'Đang hoạt động' },
              { value: 'false', label: 'Đã khóa' },
            ]}
          />
        </Form.Item>
      </Form>
      <ErrorAlert error={users.error} />
      <UserTable
        data={users.data}
        loading={users.isFetching || setActive.isPending}
        meId={me.id}
        pageSize={PAGE_SIZE}
        onPage={(page) => setFilters((current) => ({ ...current, page }))}
        onEdit={(user) => setForm({ mode: 'edit', user })}
        onPassword={setPasswordFor}
        onActive={(user, active) => setActive.mutate({ user, active })}
      />
      {form && <UserFormModal target={form} onClose={() => setForm(null)} />}
      {passwordFor && <PasswordModal user={passwordFor} onClose={() => setPasswordFor(null)} />}
    </>
  );
}
