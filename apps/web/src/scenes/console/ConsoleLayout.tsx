import { Suspense, useState } from 'react';
import { Outlet, useNavigate } from 'react-router-dom';
import { Alert, App, Button, Drawer, Dropdown, Grid, Layout, Space, Typography } from 'antd';
import { DownOutlined, KeyOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { ChangePasswordModal } from '../../components/ChangePasswordModal.tsx';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import { FullPageSpin } from '../../components/RequireAuth.tsx';
import { useSession, useUser } from '../../hooks/useSession.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { errorText } from '../../lib/error-text.ts';
import { ConsoleMenu } from './ConsoleMenu.tsx';
import './console.css';

function Brand({ compact }: { compact?: boolean }) {
  const { t } = useI18n();
  return (
    <div className={compact ? 'guotu-brand guotu-brand-compact' : 'guotu-brand'}>
      <span className="guotu-brand-mark">{t('app.name')}</span>
      {!compact && <span className="guotu-brand-sub">{t('app.console')}</span>}
    </div>
  );
}

export function ConsoleLayout() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const user = useUser();
  const { logout } = useSession();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const mobile = screens.md === false;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [passwordOpen, setPasswordOpen] = useState(false);

  async function signOut() {
    try {
      await logout();
      void message.success(t('header.loggedOut'));
    } catch (error) {
      // the local session is cleared anyway (SessionProvider.logout); tell why the server call failed
      void message.warning(errorText(error, t));
    }
    void navigate('/login', { replace: true });
  }

  const userMenu = {
    items: [
      // on a phone the header has no room for the name and unit; they head the menu instead
      { key: 'who', label: `${user.displayName} · ${user.orgName}`, disabled: true },
      { type: 'divider' as const },
      { key: 'password', icon: <KeyOutlined />, label: t('header.changePassword') },
      { type: 'divider' as const },
      { key: 'logout', icon: <LogoutOutlined />, label: t('header.logout'), danger: true },
    ],
    onClick: ({ key }: { key: string }) => {
      if (key === 'password') setPasswordOpen(true);
      if (key === 'logout') void signOut();
    },
  };

  return (
    <Layout className="guotu-console">
      {!mobile && (
        <Layout.Sider width={216} theme="dark" className="guotu-sider">
          <Brand />
          <ConsoleMenu />
        </Layout.Sider>
      )}
      <Drawer
        placement="left"
        open={mobile && drawerOpen}
        onClose={() => setDrawerOpen(false)}
        width={260}
        title={<Brand />}
        styles={{ body: { padding: 0 } }}
        data-testid="menu-drawer"
      >
        <ConsoleMenu theme="light" onNavigate={() => setDrawerOpen(false)} />
      </Drawer>
      <Layout>
        <Layout.Header className="guotu-header">
          <Space size="middle">
            {mobile && (
              <Button
                type="text"
                icon={<MenuOutlined />}
                aria-label={t('common.menu')}
                data-testid="menu-toggle"
                onClick={() => setDrawerOpen(true)}
              />
            )}
            {mobile && <Brand compact />}
          </Space>
          <Space size={mobile ? 'small' : 'middle'}>
            {!mobile && <Typography.Text type="secondary">{user.orgName}</Typography.Text>}
            <LanguageSwitch size={mobile ? 'small' : 'middle'} />
            <Dropdown menu={userMenu} trigger={['click']}>
              <Button type="text" data-testid="user-menu">
                <UserOutlined />
                {!mobile && <span>{user.displayName}</span>}
                <DownOutlined />
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content className="guotu-content">
          {user.mustChangePassword && (
            <Alert
              className="guotu-notice"
              type="warning"
              showIcon
              message={t('header.mustChangePassword')}
              action={
                <Button size="small" onClick={() => setPasswordOpen(true)}>
                  {t('header.changePassword')}
                </Button>
              }
            />
          )}
          <Suspense fallback={<FullPageSpin />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
      <ChangePasswordModal open={passwordOpen} onClose={() => setPasswordOpen(false)} />
    </Layout>
  );
}
