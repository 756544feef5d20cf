import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Form, Input, Space, Steps, Tag, Typography } from 'antd';
import type { PublicProgress } from '@guotu/contracts';
import { ApiError } from '../../api/client.ts';
import { queryProgress } from '../../api/cases-portal.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { formatInstant } from '../../lib/dates.ts';
import { errorText } from '../../lib/error-text.ts';
import { ClockList } from './cases/CaseRecord.tsx';
import { CaseStatusTag } from './cases/labels.tsx';

interface Values {
  caseNumber: string;
  queryCode: string;
}

/**
 * 办件进度查询 (POST /public/progress): case number + query code. A wrong number and a wrong code
 * get the same 404 from the server, and the same neutral sentence here; 10 tries a minute per address.
 */
export default function ProgressQuery() {
  const { t, locale } = useI18n();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<PublicProgress | null>(null);
  const [failure, setFailure] = useState<{ kind: 'notFound' | 'tooMany' | 'other'; text: string } | null>(null);

  const onFinish = async (values: Values) => {
    setBusy(true);
    setFailure(null);
    setResult(null);
    try {
      setResult(
        await queryProgress({
          caseNumber: values.caseNumber.trim(),
          queryCode: values.queryCode.trim().toUpperCase(),
        }),
      );
    } catch (cause) {
      if (cause instanceof ApiError && (cause.code === 'NOT_FOUND' || cause.code === 'VALIDATION_FAILED'))
        setFailure({ kind: 'notFound', text: t('pc.progress.notFound') });
      else if (cause instanceof ApiError && cause.code === 'RATE_LIMITED')
        setFailure({ kind: 'tooMany', text: t('pc.progress.tooMany') });
      else setFailure({ kind: 'other', text: errorText(cause, t) });
    } finally {
      setBusy(false);
    }
  };

  const fmt = (at: string | null) => (at ? formatInstant(at, locale) : '—');

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card title={t('portal.progressTitle')} className="guotu-portal-narrow">
        <Typography.Paragraph type="secondary">{t('pc.progress.intro')}</Typography.Paragraph>
        <Form<Values> layout="vertical" onFinish={(v) => void onFinish(v)}>
          <Form.Item
            name="caseNumber"
            label={t('portal.caseNumber')}
            rules={[{ required: true, whitespace: true, message: t('portal.caseNumberRequired') }]}
          >
            <Input maxLength={40} autoComplete="off" placeholder="420106-2026-000001" />
          </Form.Item>
          <Form.Item
            name="queryCode"
            label={t('portal.queryCode')}
            rules={[{ required: true, whitespace: true, message: t('portal.queryCodeRequired') }]}
          >
            <Input maxLength={20} autoComplete="off" style={{ textTransform: 'uppercase' }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="progress-submit">
            {t('portal.query')}
          </Button>
        </Form>
        {failure && (
          <Alert
            style={{ marginTop: 16 }}
            type={failure.kind === 'other' ? 'error' : 'warning'}
            showIcon
            message={failure.text}
            data-testid={
              failure.kind === 'notFound'
                ? 'progress-not-found'
                : failure.kind === 'tooMany'
                  ? 'progress-too-many'
                  : 'progress-error'
            }
          />
        )}
      </Card>
      {result && (
        <Card title={result.title} data-testid="progress-result">
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            <Descriptions size="small" column={{ xs: 1, md: 2 }}>
              <Descriptions.Item label={t('portal.caseNumber')}>{result.caseNumber}</Descriptions.Item>
              <Descriptions.Item label={t('pc.case.matter')}>{result.matterName}</Descriptions.Item>
              <Descriptions.Item label={t('pc.case.status')}>
                <CaseStatusTag status={result.status} />
              </Descriptions.Item>
              <Descriptions.Item label={t('pc.progress.responsible')}>
                {result.responsibleOrgName ?? '—'}
                {result.tier ? `（${t(`pc.tier.${result.tier}`)}）` : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t('pc.case.receivedAt')}>{fmt(result.receivedAt)}</Descriptions.Item>
              <Descriptions.Item label={t('pc.case.acceptedAt')}>{fmt(result.acceptedAt)}</Descriptions.Item>
              {result.decision && (
                <Descriptions.Item label={t('pc.case.decision')}>
                  <Tag color={result.decision === 'approved' ? 'green' : 'red'}>
                    {t(`pc.decision.${result.decision}`)}
                  </Tag>
                </Descriptions.Item>
              )}
              {result.documentNumber && (
                <Descriptions.Item label={t('pc.case.documentNumber')}>{result.documentNumber}</Descriptions.Item>
              )}
              {result.issuedAt && (
                <Descriptions.Item label={t('pc.case.issuedAt')}>{fmt(result.issuedAt)}</Descriptions.Item>
              )}
            </Descriptions>
            <div>
              <Typography.Title level={5}>{t('pc.progress.steps')}</Typography.Title>
              {result.steps.length === 0 ? (
                <Typography.Text type="secondary">{t('pc.progress.noSteps')}</Typography.Text>
              ) : (
                <Steps
                  direction="vertical"
                  size="small"
                  data-testid="progress-steps"
                  current={result.steps.findIndex((s) => s.endedAt === null)}
                  items={result.steps.map((step) => ({
                    title: step.name,
                    status: step.endedAt ? 'finish' : 'process',
                    description: (
                      <>
                        <div>
                          {[step.tier ? t(`pc.tier.${step.tier}`) : null, step.orgName].filter(Boolean).join(' · ')}
                        </div>
                        <div>
                          {fmt(step.startedAt)}
                          {step.endedAt ? ` → ${fmt(step.endedAt)}` : ` · ${t('pc.progress.inProgress')}`}
                        </div>
                      </>
                    ),
                  }))}
                />
              )}
            </div>
            <div>
              <Typography.Title level={5}>{t('pc.case.clocks')}</Typography.Title>
              <ClockList clocks={result.clocks} />
            </div>
          </Space>
        </Card>
      )}
    </Space>
  );
}
