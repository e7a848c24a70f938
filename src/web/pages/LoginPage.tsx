import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { useSession } from '../api/session';
import { errorText } from '../lib/forms';

interface Credentials {
  username: string;
  password: string;
}

/** Only local paths are followed after signing in, so a crafted link cannot send the user elsewhere. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  const session = useSession();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));

  if (session.status === 'signed-in') return <Navigate to={next} replace />;

  const submit = async ({ username, password }: Credentials) => {
    setBusy(true);
    setError(null);
    try {
      // Signed in, the signed-in pages open on this address and the check above sends the user on.
      await session.signIn(username, password);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login-page">
      <Card className="login-card">
        <Typography.Title level={1} className="login-title">
          Mái ấm
        </Typography.Title>
        <Typography.Paragraph type="secondary">Quản lý hồ sơ hỗ trợ đoàn viên công đoàn</Typography.Paragraph>
        {session.endedReason && !error && (
          <Alert type="warning" showIcon title={session.endedReason} className="login-alert" />
        )}
        {error && <Alert type="error" showIcon title={error} className="login-alert" role="alert" />}
        <Form<Credentials>
          layout="vertical"
          onFinish={submit}
          requiredMark={false}
          disabled={session.status === 'loading'}
        >
          <Form.Item label="Tên đăng nhập" name="username" rules={[{ required: true, message: 'Nhập tên đăng nhập' }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item label="Mật khẩu" name="password" rules={[{ required: true, message: 'Nhập mật khẩu' }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            Đăng nhập
          </Button>
        </Form>
      </Card>
    </main>
  );
}
