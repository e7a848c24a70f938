import { useQuery } from '@tanstack/react-query';
import { Alert, Badge, Card, Empty, Space, Typography } from 'antd';
import { Link } from 'react-router';
import { apiGet } from '../../api/client';
import { useMe } from '../../api/session';
import { CaseTable } from '../../components/CaseTable';
import { PageTitle } from '../../components/PageTitle';
import { errorText } from '../../lib/forms';
import { actedAmount, actedAmountTitle } from './acted-amount';
import { useWaitingLists, WaitingListsTable } from './WaitingLists';
import type { Role } from '../../lib/labels';

interface Queue {
  status: string;
  title: string;
  /** Only the cases the caller's organisation verifies as their direct upper union (SPEC §2), not the whole subtree. */
  ownVerification?: boolean;
  /** Cases imported in a list wait as their list: one row per list instead of one per case. */
  lists?: string;
}

/** What waits for each role (SPEC §12), oldest first. */
const QUEUES: Record<Role, Queue[]> = {
  grassroots_officer: [
    { status: 'returned', title: 'Hồ sơ bị trả lại, cần sửa' },
    { status: 'draft', title: 'Hồ sơ nháp chưa gửi' },
  ],
  verifier: [
    { status: 'submitted', title: 'Hồ sơ chờ thẩm định', ownVerification: true, lists: 'Danh sách chờ thẩm định' },
  ],
  approver: [{ status: 'verified', title: 'Hồ sơ chờ phê duyệt', lists: 'Danh sách chờ phê duyệt' }],
  accountant: [
    { status: 'approved', title: 'Hồ sơ đã duyệt, chờ chi' },
    { status: 'partially_disbursed', title: 'Hồ sơ đã chi một phần' },
  ],
  admin: [],
};

const SHOWN = 10;
/** Enough of the queue to find ten cases outside lists when lists fill its first page. */
const READ = 100;

function QueueCard({ queue }: { queue: Queue }) {
  const me = useMe();
  const filter = { status: queue.status, ...(queue.ownVerification ? { verifierOrgId: me.orgId } : {}) };
  const lists = useWaitingLists(queue.status, Boolean(queue.lists));
  const query = useQuery({
    queryKey: ['cases', { ...filter, sort: 'updatedAt', limit: queue.lists ? READ : SHOWN }],
    queryFn: () => apiGet('/cases', { ...filter, sort: 'updatedAt', limit: queue.lists ? READ : SHOWN }),
  });
  const inLists = lists.waiting.reduce((sum, list) => sum + list.count, 0);
  const single = (query.data?.items ?? []).filter((c) => !queue.lists || !c.batchId).slice(0, SHOWN);
  const total = Math.max((query.data?.total ?? 0) - inLists, 0);
  return (
    <>
      {queue.lists && lists.waiting.length > 0 && (
        <Card
          style={{ marginBottom: 16 }}
          title={
            <Space>
              {queue.lists}
              <Badge count={lists.waiting.length} color="#b3122b" />
            </Space>
          }
        >
          <WaitingListsTable status={queue.status} waiting={lists.waiting} />
        </Card>
      )}
      <Card
        title={
          <Space>
            {queue.title}
            <Badge count={total} showZero overflowCount={9999} color={total ? '#b3122b' : '#bfbfbf'} />
          </Space>
        }
        extra={
          total > SHOWN && (
            <Link to={`/cases?${new URLSearchParams({ ...filter, sort: 'updatedAt' }).toString()}`}>Xem tất cả</Link>
          )
        }
      >
        {query.error || lists.error ? (
          <Alert type="error" showIcon title={errorText(query.error ?? lists.error)} />
        ) : query.data && total === 0 ? (
          <Typography.Text type="secondary">
            Không có hồ sơ nào đang chờ{queue.lists ? ' ngoài các danh sách' : ''}.
          </Typography.Text>
        ) : (
          <CaseTable
            dataSource={single}
            loading={query.isLoading || lists.loading}
            pagination={false}
            amount={{ title: actedAmountTitle(queue.status), of: (c) => actedAmount(queue.status, c) }}
          />
        )}
      </Card>
    </>
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
      {queues.map((queue) => (
        <QueueCard key={queue.status} queue={queue} />
      ))}
    </Space>
  );
}
