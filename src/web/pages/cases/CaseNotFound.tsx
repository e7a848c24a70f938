import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { ApiError } from '../../api/client';

/** A case outside the user's subtree answers 404 like a missing one (SPEC §2): the page says only that. */
export function isNotFound(error: unknown): boolean {
  return (
    error instanceof ApiError && (error.status === 404 || (error.status === 400 && error.code === 'VALIDATION_FAILED'))
  );
}

export function CaseNotFound() {
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title="Không tìm thấy hồ sơ"
      subTitle="Hồ sơ không tồn tại hoặc không thuộc phạm vi của bạn."
      extra={
        <Button type="primary" onClick={() => navigate('/cases')}>
          Về danh sách hồ sơ
        </Button>
      }
    />
  );
}
