import { useEffect, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { MobileOutlined, SafetyOutlined } from '@ant-design/icons';
import { ApiError } from '../../../api/client.ts';
import { mobilePattern, sendLoginCode } from '../../../api/applicant.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { errorText } from '../../../lib/error-text.ts';
import { useApplicant } from './applicant-context.ts';
import { safeNext } from './RequireApplicant.tsx';

interface Values {
  phone: string;
  code: string;
}

/**
 * 申请人登录: phone number + SMS code. The server answers the same for every number (nothing
 * enumerable), so "sent" only means "if the number is valid, a code is on its way"; the first
 * sign-in creates the account.
 */
export default function SignInPage() {
  const { t } = useI18n();
  const { state, login } = useApplicant();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [form] = Form.useForm<Values>();
  const [sending, setSending] = useState(false);
  const [signingIn, setSigningIn] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [countdown, setCountdown] = useState(0);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (countdown <= 0) return;
    const timer = setTimeout(() => setCountdown((c) => c - 1), 1000);
    return () => clearTimeout(timer);
  }, [countdown]);

  if (state.status === 'signedIn' && !signingIn) return <Navigate to={next} replace />;

  const sendCode = async () => {
    setError(null);
    let phone: string;
    try {
      ({ phone } = await form.validateFields(['phone']));
    } catch {
      return; // the field shows what is wrong
    }
    setSending(true);
    try {
      const sent = await sendLoginCode(phone);
      setSentTo(phone);
      setCountdown(sent.resendAfterSeconds);
    } catch (cause) {
      if (cause instanceof ApiError && cause.code === 'RATE_LIMITED') setError(t('pc.signIn.tooManyCodes'));
      else if (cause instanceof ApiError && cause.code === 'VALIDATION_FAILED')
        form.setFields([{ name: 'phone', errors: [t('pc.signIn.phoneInvalid')] }]);
      else setError(errorText(cause, t));
    } finally {
      setSending(false);
    }
  };

  const onFinish = async (values: Values) => {
    setError(null);
    setSigningIn(true);
    try {
      const applicant = await login(values.phone, values.code);
      void navigate(applicant.profileComplete ? next : `/portal/profile?next=${encodeURIComponent(next)}`, {
        replace: true,
      });
    } catch (cause) {
      setSigningIn(false);
      if (cause instanceof ApiError && cause.code === 'INVALID_CREDENTIALS')
        form.setFields([{ name: 'code', errors: [t('pc.signIn.codeWrong')] }]);
      else if (cause instanceof ApiError && cause.code === 'RATE_LIMITED') setError(t('pc.signIn.tooManyTries'));
      else setError(errorText(cause, t));
    }
  };

  return (
    <Card className="guotu-portal-narrow" title={t('pc.signIn.title')}>
      <Typography.Paragraph type="secondary">{t('pc.signIn.intro')}</Typography.Paragraph>
      {state.status === 'anonymous' && state.expired && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('pc.signIn.expired')} />
      )}
      <Form<Values> form={form} layout="vertical" onFinish={(v) => void onFinish(v)} requiredMark={false}>
        <Form.Item
          name="phone"
          label={t('pc.signIn.phone')}
          rules={[
            { required: true, message: t('pc.signIn.phoneRequired') },
            { pattern: mobilePattern, message: t('pc.signIn.phoneInvalid') },
          ]}
        >
          <Input
            prefix={<MobileOutlined />}
            inputMode="numeric"
            autoComplete="tel"
            maxLength={11}
            placeholder={t('pc.signIn.phonePlaceholder')}
            data-testid="signin-phone"
          />
        </Form.Item>
        <Form.Item label={t('pc.signIn.code')} required>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item
              name="code"
              noStyle
              rules={[
                { required: true, message: t('pc.signIn.codeRequired') },
                { pattern: /^[0-9]{6}$/, message: t('pc.signIn.codeFormat') },
              ]}
            >
              <Input
                prefix={<SafetyOutlined />}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                placeholder={t('pc.signIn.codePlaceholder')}
                data-testid="signin-code"
              />
            </Form.Item>
            <Button onClick={() => void sendCode()} loading={sending} disabled={countdown > 0} data-testid="send-code">
              {countdown > 0
                ? t('pc.signIn.resendIn', { n: countdown })
                : sentTo
                  ? t('pc.signIn.resend')
                  : t('pc.signIn.sendCode')}
            </Button>
          </Space.Compact>
        </Form.Item>
        {sentTo && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            message={t('pc.signIn.sent', { phone: `${sentTo.slice(0, 3)}****${sentTo.slice(7)}` })}
            data-testid="code-sent"
          />
        )}
        {error && (
          <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error} data-testid="signin-error" />
        )}
        <Button type="primary" htmlType="submit" block loading={signingIn} data-testid="signin-submit">
          {t('pc.signIn.submit')}
        </Button>
      </Form>
    </Card>
  );
}
