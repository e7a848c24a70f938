import { Button, Result } from 'antd';
import { Link } from 'react-router';

export default function NotFoundPage() {
  return (
    <Result
      status="404"
      title="Không tìm thấy trang"
      extra={
        <Link to="/">
          <Button type="primary">Về Việc cần làm</Button>
        </Link>
      }
    />
  );
}
