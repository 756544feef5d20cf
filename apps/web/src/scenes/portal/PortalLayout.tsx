import { Suspense } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { App, Button, Dropdown, Layout, Menu } from 'antd';
import { LoginOutlined, LogoutOutlined, ProfileOutlined, SolutionOutlined, UserOutlined } from '@ant-design/icons';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import { FullPageSpin } from '../../components/RequireAuth.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { errorText } from '../../lib/error-text.ts';
import { ApplicantProvider } from './applicant/ApplicantProvider.tsx';
import { useApplicant } from './applicant/applicant-context.ts';
import './portal.css';

const sections = [
  { path: '/portal', label: 'portal.home' },
  { path: '/portal/guides', label: 'portal.guides' },
  { path: '/portal/cases', label: 'pc.nav.myCases' },
  { path: '/portal/progress', label: 'portal.progress' },
  { path: '/portal/verify', label: 'pc.nav.verify' },
] as const;

/** The public site (外网): lighter than the console; applicants sign in with their phone. */
export function PortalLayout() {
  return (
    <ApplicantProvider>
      <PortalFrame />
    </ApplicantProvider>
  );
}

function ApplicantMenu() {
  const { t } = useI18n();
  const { state, logout } = useApplicant();
  const { pathname, search } = useLocation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  if (state.status === 'loading') return null;
  if (state.status === 'anonymous')
    return (
      <Link to={`/portal/signin?next=${encodeURIComponent(`${pathname}${search}`)}`} data-testid="applicant-signin">
        <Button size="small" type="primary" ghost icon={<UserOutlined />} className="guotu-portal-signin">
          {t('pc.nav.signIn')}
        </Button>
      </Link>
    );
  const { applicant } = state;
  const label = applicant.name ?? `${applicant.phone.slice(0, 3)}****${applicant.phone.slice(7)}`;
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'cases', icon: <SolutionOutlined />, label: t('pc.nav.myCases') },
          { key: 'profile', icon: <ProfileOutlined />, label: t('pc.nav.profile') },
          { type: 'divider' },
          { key: 'logout', icon: <LogoutOutlined />, label: t('pc.nav.signOut') },
        ],
        onClick: ({ key }) => {
          if (key === 'cases') void navigate('/portal/cases');
          else if (key === 'profile') void navigate('/portal/profile');
          else
            logout().then(
              () => {
                void message.success(t('pc.nav.signedOut'));
                void navigate('/portal');
              },
              (error: unknown) => void message.error(errorText(error, t)),
            );
        },
      }}
    >
      <Button size="small" icon={<UserOutlined />} data-testid="applicant-menu" className="guotu-portal-user">
        <span className="guotu-portal-user-name">{label}</span>
      </Button>
    </Dropdown>
  );
}

function PortalFrame() {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  // an application belongs to the guides; the home entry is the home page only
  const here = pathname.startsWith('/portal/apply/') ? '/portal/guides' : pathname;
  const selected = sections.find(
    (section) => here === section.path || (section.path !== '/portal' && here.startsWith(`${section.path}/`)),
  );

  return (
    <Layout className="guotu-portal">
      <div className="guotu-portal-top">
        <Link to="/portal" className="guotu-portal-brand">
          <span className="guotu-portal-mark">{t('app.name')}</span>
          <span className="guotu-portal-name">{t('app.portal')}</span>
        </Link>
        <div className="guotu-portal-tools">
          <LanguageSwitch size="small" />
          <ApplicantMenu />
          <Link to="/login" className="guotu-portal-staff">
            <Button size="small" icon={<LoginOutlined />}>
              {t('portal.staffLogin')}
            </Button>
          </Link>
        </div>
      </div>
      <Menu
        className="guotu-portal-nav"
        mode="horizontal"
        disabledOverflow
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
