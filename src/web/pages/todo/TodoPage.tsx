import { useQuery } from '@tanstack/react-query';
import { Alert, Badge, Card, Empty, Space, Typography } from 'antd';
import { Link } from 'react-router';
import { apiGet } from '../../api/client';
import { useMe } from '../../api/session';
import type { CaseRecord, Page } from '../../api/types';
import { CaseTable } from '../../components/CaseTable';
import { PageTitle } from '../../components/PageTitle';
import { errorText } from '../../lib/forms';
import type { Role } from '../../lib/labels';

interface Queue {
  status: string;
  title: string;
  /** Only the cases the caller's organisation verifies as their direct upper union (SPEC §2), not the whole subtree. */
  ownVerification?: boolean;
}

/** What waits for each role (SPEC §12), oldest first. */
const QUEUES: Record<Role, Queue[]> = {
  grassroots_officer: [
    { status: 'returned', title: 'Hồ sơ bị trả lại, cần sửa' },
    { status: 'draft', title: 'Hồ sơ nháp chưa gửi' },
  ],
  verifier: [{ status: 'submitted', title: 'Hồ sơ chờ thẩm định', ownVerification: true }],
  approver: [{ status: 'verified', title: 'Hồ sơ chờ phê duyệt' }],
  accountant: [
    { status: 'approved', title: 'Hồ sơ đã duyệt, chờ chi' },
    { status: 'partially_disbursed', title: 'Hồ sơ đã chi một phần' },
  ],
  admin: [],
};

const SHOWN = 10;

function QueueCard({ queue }: { queue: Queue }) {
  const me = useMe();
  const filter = { status: queue.status, ...(queue.ownVerification ? { verifierOrgId: me.orgId } : {}) };
  const query = useQuery({
    queryKey: ['cases', { ...filter, sort: 'updatedAt', limit: SHOWN }],
    queryFn: () => apiGet<Page<CaseRecord>>('/cases', { ...filter, sort: 'updatedAt', limit: SHOWN }),
  });
  const total = query.data?.total ?? 0;
  return (
    <Card
      title={<Space>{queue.title}<Badge count={total} showZero overflowCount={9999} color={total ? '#b3122b' : '#bfbfbf'} /></Space>}
      extra={total > SHOWN && <Link to={`/cases?${new URLSearchParams({ ...filter, sort: 'updatedAt' }).toString()}`}>Xem tất cả {total}</Link>}
    >
      {query.error ? (
        <Alert type="error" showIcon title={errorText(query.error)} />
      ) : query.data?.total === 0 ? (
        <Typography.Text type="secondary">Không có hồ sơ nào đang chờ.</Typography.Text>
      ) : (
        <CaseTable
          dataSource={query.data?.items}
          loading={query.isLoading}
          pagination={false}
        />
      )}
    </Card>
  );
}

export default function TodoPage() {
  const me = useMe();
  const queues = me.roles.flatMap((role) => QUEUES[role]);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <PageTitle>Việc cần làm</PageTitle>
      {queues.length === 0 && (
        <Card>
          <Empty description="Vai trò của bạn không có hồ sơ chờ xử lý. Dùng các mục bên trái để quản trị." />
        </Card>
      )}
      {queues.map((queue) => <QueueCard key={queue.status} queue={queue} />)}
    </Space>
  );
}
