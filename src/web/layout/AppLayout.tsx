import { LogoutOutlined, MenuOutlined } from '@ant-design/icons';
import { Button, Drawer, Grid, Layout, Menu, Result, Spin, Typography } from 'antd';
import { useState } from 'react';
import { Link, Outlet, useLocation, useNavigation } from 'react-router';
import { useSession } from '../api/session';
import { sectionOf, sectionsFor } from '../app/sections';
import { label, ROLE_NAMES } from '../lib/labels';

const { Header, Sider, Content } = Layout;

/** The signed-in frame: navigation limited to the user's sections, the user and the way out. */
export function AppLayout() {
  const session = useSession();
  const location = useLocation();
  const navigation = useNavigation();
  const screens = Grid.useBreakpoint();
  const [drawerOpen, setDrawerOpen] = useState(false);

  // Rendered only with a session (see App); signing out swaps these pages for the login page.
  const me = session.me;
  if (!me) return null;
  const sections = sectionsFor(me.roles);
  const current = sectionOf(location.pathname);
  const allowed = !current || sections.includes(current);
  const wide = screens.lg ?? true;

  const menu = (
    <Menu
      mode="inline"
      selectedKeys={current ? [current.path] : []}
      onClick={() => setDrawerOpen(false)}
      items={sections.map((section) => ({ key: section.path, label: <Link to={section.path}>{section.title}</Link> }))}
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {wide && (
        <Sider width={220} theme="light" style={{ borderRight: '1px solid #f0f0f0' }}>
          <div className="brand">Mái ấm</div>
          <nav aria-label="Các mục">{menu}</nav>
        </Sider>
      )}
      <Layout>
        <Header className="app-header">
          {!wide && (
            <Button type="text" icon={<MenuOutlined />} aria-label="Mở danh mục" onClick={() => setDrawerOpen(true)} />
          )}
          <div className="app-header-user">
            <Typography.Text strong>{me.fullName}</Typography.Text>
            <Typography.Text type="secondary" className="app-header-org">
              {me.roles.map((role) => label(ROLE_NAMES, role)).join(', ')} · {me.org.name}
            </Typography.Text>
          </div>
          {/* Worded at every width: an icon alone is a guess on a phone. */}
          <Button icon={<LogoutOutlined />} aria-label="Đăng xuất" onClick={() => void session.signOut()}>
            Đăng xuất
          </Button>
        </Header>
        <Drawer open={drawerOpen} onClose={() => setDrawerOpen(false)} placement="left" title="Mái ấm" size={260}>
          <nav aria-label="Các mục">{menu}</nav>
        </Drawer>
        <Content className="app-content">
          {navigation.state === 'loading' && <Spin className="page-loading" />}
          {allowed ? (
            <Outlet />
          ) : (
            <Result status="403" title="Không có quyền" subTitle="Vai trò của bạn không dùng mục này." />
          )}
        </Content>
      </Layout>
    </Layout>
  );
}
