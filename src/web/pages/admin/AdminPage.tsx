import { Result, Tabs } from 'antd';
import { useSearchParams } from 'react-router';
import { useSession } from '../../api/session';
import { PageTitle } from '../../components/PageTitle';
import { LockedAccountsPanel } from './LockedAccountsPanel';
import { OrgsPanel } from './OrgsPanel';
import { UsersPanel } from './UsersPanel';

/** Quản trị: the organisations and users of the admin's subtree (SPEC §2). */
export default function AdminPage() {
  const { hasRole } = useSession();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'users' || params.get('tab') === 'locked' ? params.get('tab')! : 'orgs';
  // The layout already refuses the section to other roles; this keeps the page itself from asking for data.
  if (!hasRole('admin'))
    return <Result status="403" title="Không có quyền" subTitle="Chỉ quản trị viên dùng mục này." />;
  return (
    <>
      <PageTitle>Quản trị</PageTitle>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'orgs' ? {} : { tab: key }, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'orgs', label: 'Tổ chức', children: <OrgsPanel /> },
          { key: 'users', label: 'Người dùng', children: <UsersPanel /> },
          { key: 'locked', label: 'Tài khoản tạm khóa', children: <LockedAccountsPanel /> },
        ]}
      />
    </>
  );
}
