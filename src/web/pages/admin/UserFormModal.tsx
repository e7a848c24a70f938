import { useQueryClient } from '@tanstack/react-query';
import { App, Checkbox, Form, Input } from 'antd';
import { useState } from 'react';
import { apiSend } from '../../api/client';
import { useMe } from '../../api/session';
import type { Org, UserAccount } from '../../api/types';
import { OrgPicker, useOrg } from '../../components/OrgPicker';
import { useFormMutation } from '../../components/useFormMutation';
import type { Role } from '../../lib/labels';
import { changedFields } from '../members/member-values';
import { FormModal } from '../../components/FormModal';
import { roleFits, roleOptions } from './roles';

export type UserFormTarget = { mode: 'create'; org?: Org } | { mode: 'edit'; user: UserAccount };

interface Values {
  username?: string;
  password?: string;
  fullName: string;
  title: string;
  orgId?: string;
  roles: Role[];
}

const required = (what: string) => [{ required: true, whitespace: true, message: `Vui lòng nhập ${what}` }];

/** Creates a user in an organisation of the subtree, or edits one's name, title and roles. */
export function UserFormModal({ target, onClose }: { target: UserFormTarget; onClose: () => void }) {
  const me = useMe();
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const creating = target.mode === 'create';
  const [pickedOrg, setPickedOrg] = useState(creating ? target.org : undefined);
  const userOrg = useOrg(creating ? undefined : target.user.orgId);
  const org = creating ? pickedOrg : userOrg.data;
  const self = !creating && target.user.id === me.id;
  const initial: Values = creating
    ? { username: '', password: '', fullName: '', title: '', orgId: target.org?.id, roles: [] }
    : { fullName: target.user.fullName, title: target.user.title ?? '', roles: target.user.roles };

  const save = useFormMutation(form, {
    mutationFn: async (values: Values) => {
      const body = { ...values, fullName: values.fullName.trim(), title: (values.title ?? '').trim() };
      if (creating) return apiSend('POST', '/users', { ...body, username: body.username?.trim() });
      const changes = changedFields({ ...initial }, body);
      if (self) delete changes.roles;
      return Object.keys(changes).length ? apiSend('PATCH', `/users/${target.user.id}`, changes) : target.user;
    },
    onSuccess: async (user) => {
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      message.success(creating ? `Đã tạo người dùng ${user.username}.` : 'Đã lưu người dùng.');
      onClose();
    },
  });

  /** Roles the newly picked organisation cannot hold are unticked, so nothing is sent that would be refused. */
  const pickOrg = (_id: string | undefined, org: Org | undefined) => {
    setPickedOrg(org);
    form.setFieldValue(
      'roles',
      ((form.getFieldValue('roles') ?? []) as Role[]).filter((role) => roleFits(role, org)),
    );
  };

  return (
    <FormModal<Values>
      title={creating ? 'Thêm người dùng' : `Sửa người dùng ${target.user.username}`}
      okText={creating ? 'Tạo người dùng' : 'Lưu'}
      form={form}
      initialValues={initial}
      sending={save}
      onClose={onClose}
    >
      {creating && (
        <>
          <Form.Item
            name="username"
            label="Tên đăng nhập"
            rules={required('tên đăng nhập')}
            extra="Chữ thường, số, dấu . _ -"
          >
            <Input autoComplete="off" maxLength={50} />
          </Form.Item>
          <Form.Item name="password" label="Mật khẩu" rules={required('mật khẩu')} extra="Ít nhất 10 ký tự">
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </>
      )}
      <Form.Item name="fullName" label="Họ và tên" rules={required('họ và tên')}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="title" label="Chức danh">
        <Input maxLength={100} />
      </Form.Item>
      {creating && (
        <Form.Item name="orgId" label="Đơn vị" rules={[{ required: true, message: 'Vui lòng chọn đơn vị' }]}>
          <OrgPicker placeholder="Gõ tên để tìm" onChange={pickOrg} />
        </Form.Item>
      )}
      <Form.Item
        name="roles"
        label="Vai trò"
        rules={[{ required: true, type: 'array', min: 1, message: 'Chọn ít nhất một vai trò' }]}
        extra={
          self
            ? 'Không thể tự đổi vai trò của chính mình.'
            : 'Mỗi vai trò chỉ dùng ở một số cấp tổ chức (quản trị: mọi cấp).'
        }
      >
        <Checkbox.Group options={roleOptions(org, self)} style={{ display: 'flex', flexDirection: 'column', gap: 4 }} />
      </Form.Item>
    </FormModal>
  );
}
