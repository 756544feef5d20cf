import { Suspense } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { Button, Layout, Menu } from 'antd';
import { LoginOutlined } from '@ant-design/icons';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import { FullPageSpin } from '../../components/RequireAuth.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import './portal.css';

const sections = [
  { path: '/portal', label: 'portal.home' },
  { path: '/portal/guides', label: 'portal.guides' },
  { path: '/portal/progress', label: 'portal.progress' },
] as const;

/** The public site (外网): lighter than the console, no sign-in needed. */
export function PortalLayout() {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const selected = [...sections]
    .reverse()
    .find((section) => pathname === section.path || pathname.startsWith(`${section.path}/`));

  return (
    <Layout className="guotu-portal">
      <div className="guotu-portal-top">
        <Link to="/portal" className="guotu-portal-brand">
          <span className="guotu-portal-mark">{t('app.name')}</span>
          <span className="guotu-portal-name">{t('app.portal')}</span>
        </Link>
        <div className="guotu-portal-tools">
          <LanguageSwitch size="small" />
          <Link to="/login">
            <Button size="small" icon={<LoginOutlined />}>
              {t('portal.staffLogin')}
            </Button>
          </Link>
        </div>
      </div>
      <Menu
        className="guotu-portal-nav"
        mode="horizontal"
        selectedKeys={selected ? [selected.path] : []}
        items={sections.map((section) => ({ key: section.path, label: t(section.label) }))}
        onClick={({ key }) => void navigate(key)}
      />
      <Layout.Content className="guotu-portal-content">
        <Suspense fallback={<FullPageSpin />}>
          <Outlet />
        </Suspense>
      </Layout.Content>
      <Layout.Footer className="guotu-portal-footer">{t('portal.footer')}</Layout.Footer>
    </Layout>
  );
}
