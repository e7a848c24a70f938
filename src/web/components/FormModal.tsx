import { Alert, Form, Modal, type FormInstance } from 'antd';
import type { ReactNode } from 'react';

/**
 * A dialog holding one form, mounted by its caller for each opening: OK submits, the button spins while
 * sending, and the API's message stands above the fields (its field errors beside them: useFormMutation).
 */
export function FormModal<V extends object>({
  title,
  okText,
  form,
  sending,
  onClose,
  intro,
  initialValues,
  cancelable = true,
  children,
}: {
  title: string;
  okText: string;
  form: FormInstance<V>;
  sending: { alert: string | null; pending: boolean; send: (values: V) => void };
  onClose: () => void;
  intro?: ReactNode;
  initialValues?: Partial<V>;
  /** False once there is nothing left to cancel (the work started): only the OK button stays. */
  cancelable?: boolean;
  children: ReactNode;
}) {
  return (
    <Modal
      open
      title={title}
      okText={okText}
      cancelText="Hủy"
      cancelButtonProps={cancelable ? undefined : { style: { display: 'none' } }}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={sending.pending}
      destroyOnHidden
    >
      {intro}
      {sending.alert && <Alert type="error" showIcon role="alert" title={sending.alert} style={{ marginBottom: 16 }} />}
      <Form<V> form={form} layout="vertical" initialValues={initialValues} onFinish={sending.send}>
        {children}
      </Form>
    </Modal>
  );
}
