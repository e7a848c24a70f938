import { Button, Result } from 'antd';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { ApiError } from '../api/client';

/** Shown when a page fails to load or throws: never a blank screen, never a stack trace. */
export function RouteError() {
  const error = useRouteError();
  const notFound =
    (isRouteErrorResponse(error) && error.status === 404) || (error instanceof ApiError && error.status === 404);
  return (
    <Result
      status={notFound ? '404' : 'error'}
      title={notFound ? 'Không tìm thấy trang' : 'Trang gặp lỗi'}
      subTitle={error instanceof ApiError ? error.detail : 'Tải lại trang; nếu lỗi còn, báo cho quản trị viên.'}
      extra={
        <Button type="primary" href="/">
          Về Việc cần làm
        </Button>
      }
    />
  );
}
