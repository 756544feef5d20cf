import { useState } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import type { LoginRequest } from '@guotu/contracts';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import { FullPageSpin } from '../../components/RequireAuth.tsx';
import { useSession } from '../../hooks/useSession.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { errorText } from '../../lib/error-text.ts';
import './login.css';

/** Where to go after signing in: back to the console page that sent us here, else the workbench. */
function target(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from;
  return typeof from === 'string' && from.startsWith('/console') ? from : '/console/workbench';
}

export default function LoginPage() {
  const { t } = useI18n();
  const { state, login } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(undefined);
  const [submitting, setSubmitting] = useState(false);

  if (state.status === 'loading') return <FullPageSpin />;
  if (state.status === 'authenticated' && !submitting) return <Navigate to={target(location.state)} replace />;

  async function submit(values: LoginRequest) {
    setSubmitting(true);
    setError(undefined);
    try {
      await login({ username: values.username.trim(), password: values.password });
      void navigate(target(location.state), { replace: true });
    } catch (cause) {
      setError(cause);
      setSubmitting(false);
    }
  }

  return (
    <div className="guotu-login">
      <div className="guotu-login-lang">
        <LanguageSwitch />
      </div>
      <Card className="guotu-login-card">
        <Typography.Text type="secondary" className="guotu-login-dept">
          {t('app.department')}
        </Typography.Text>
        <Typography.Title level={3} className="guotu-login-title">
          {t('login.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" className="guotu-login-sub">
          {t('login.subtitle')}
        </Typography.Paragraph>
        {error === undefined && state.status === 'anonymous' && state.expired && (
          <Alert type="info" showIcon message={t('error.UNAUTHENTICATED')} style={{ marginBottom: 16 }} />
        )}
        {error !== undefined && (
          <Alert
            type="error"
            showIcon
            message={errorText(error, t)}
            style={{ marginBottom: 16 }}
            data-testid="login-error"
          />
        )}
        <Form<LoginRequest>
          layout="vertical"
          size="large"
          onFinish={(values) => void submit(values)}
          requiredMark={false}
        >
          <Form.Item
            name="username"
            label={t('login.username')}
            rules={[{ required: true, message: t('login.usernameRequired') }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('login.passwordRequired') }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
        <div className="guotu-login-foot">
          <Link to="/portal">{t('login.toPortal')}</Link>
        </div>
      </Card>
    </div>
  );
}
