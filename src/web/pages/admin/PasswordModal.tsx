import { App, Form, Input } from 'antd';
import { apiSend } from '../../api/client';
import type { UserAccount } from '../../api/types';
import { useFormMutation } from '../../components/useFormMutation';
import { FormModal } from '../../components/FormModal';

interface Values {
  password: string;
}

/** Sets a new password for a user; the API ends every session of that user at once. */
export function PasswordModal({ user, onClose }: { user: UserAccount; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const reset = useFormMutation(form, {
    mutationFn: ({ password }: Values) => apiSend('PATCH', `/users/${user.id}`, { password }),
    onSuccess: () => {
      message.success(`Đã đặt lại mật khẩu của ${user.username}; mọi phiên đăng nhập của người này đã kết thúc.`);
      onClose();
    },
  });
  return (
    <FormModal<Values>
      title={`Đặt lại mật khẩu cho ${user.username}`}
      okText="Đặt lại mật khẩu"
      form={form}
      initialValues={{ password: '' }}
      sending={reset}
      onClose={onClose}
    >
      <Form.Item
        name="password"
        label="Mật khẩu mới"
        rules={[{ required: true, message: 'Vui lòng nhập mật khẩu mới' }]}
        extra="Ít nhất 10 ký tự. Người dùng phải đăng nhập lại."
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </FormModal>
  );
}
