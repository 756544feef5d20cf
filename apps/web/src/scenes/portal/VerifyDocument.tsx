import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Descriptions, Form, Input, Result, Space, Spin, Typography } from 'antd';
import type { DocumentVerification } from '@guotu/contracts';
import { verifyDocument } from '../../api/cases-portal.ts';
import { ApiError } from '../../api/client.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { formatInstant } from '../../lib/dates.ts';
import { errorText } from '../../lib/error-text.ts';

/**
 * 文书核验 (/portal/verify?code=…): the code printed on every PDF the department issues is checked
 * against the server (GET /public/documents/verify); a genuine document shows its kind, number,
 * case, issuer, date and SHA-256.
 */
export default function VerifyDocument() {
  const { t, locale } = useI18n();
  const [params, setParams] = useSearchParams();
  const code = (params.get('code') ?? '').trim();
  const [state, setState] = useState<
    | { status: 'idle' }
    | { status: 'loading' }
    | { status: 'done'; answer: DocumentVerification }
    | { status: 'error'; text: string }
  >({ status: 'idle' });

  useEffect(() => {
    if (!code) {
      setState({ status: 'idle' });
      return;
    }
    const controller = new AbortController();
    setState({ status: 'loading' });
    verifyDocument(code, controller.signal).then(
      (answer) => setState({ status: 'done', answer }),
      (cause: unknown) => {
        if (controller.signal.aborted) return;
        if (cause instanceof ApiError && (cause.code === 'NOT_FOUND' || cause.code === 'VALIDATION_FAILED'))
          setState({ status: 'done', answer: { valid: false } });
        else if (cause instanceof ApiError && cause.code === 'RATE_LIMITED')
          setState({ status: 'error', text: t('pc.progress.tooMany') });
        else setState({ status: 'error', text: errorText(cause, t) });
      },
    );
    return () => controller.abort();
  }, [code, t]);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card title={t('pc.verify.title')} className="guotu-portal-narrow">
        <Typography.Paragraph type="secondary">{t('pc.verify.intro')}</Typography.Paragraph>
        <Form
          key={code}
          layout="vertical"
          initialValues={{ code }}
          onFinish={(values: { code: string }) => setParams({ code: values.code.trim().toUpperCase() })}
        >
          <Form.Item
            name="code"
            label={t('pc.verify.code')}
            rules={[{ required: true, whitespace: true, message: t('pc.verify.codeRequired') }]}
          >
            <Input maxLength={32} autoComplete="off" style={{ textTransform: 'uppercase' }} data-testid="verify-code" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block data-testid="verify-submit">
            {t('pc.verify.check')}
          </Button>
        </Form>
      </Card>
      {state.status === 'loading' && <Spin />}
      {state.status === 'error' && <Alert type="error" showIcon message={state.text} />}
      {state.status === 'done' &&
        (state.answer.valid ? (
          <Card data-testid="verify-valid">
            <Result status="success" title={t('pc.verify.valid')} style={{ padding: '16px 0' }} />
            <Descriptions size="small" column={1} bordered>
              {state.answer.kind && (
                <Descriptions.Item label={t('pc.document.kind')}>
                  {t(`pc.documentKind.${state.answer.kind}`)}
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('pc.document.number')}>{state.answer.number ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('portal.caseNumber')}>{state.answer.caseNumber ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('pc.verify.issuer')}>{state.answer.issuerOrgName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('pc.document.issuedAt')}>
                {state.answer.issuedAt ? formatInstant(state.answer.issuedAt, locale) : '—'}
              </Descriptions.Item>
              {state.answer.sha256 && (
                <Descriptions.Item label="SHA-256">
                  <Typography.Text code style={{ wordBreak: 'break-all' }}>
                    {state.answer.sha256}
                  </Typography.Text>
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
        ) : (
          <div data-testid="verify-invalid">
            <Result status="warning" title={t('pc.verify.invalid')} subTitle={t('pc.verify.invalidHint')} />
          </div>
        ))}
    </Space>
  );
}
