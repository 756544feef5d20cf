import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { ApiError } from '../../../api/client.ts';
import { createCase } from '../../../api/cases-portal.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { errorText } from '../../../lib/error-text.ts';
import { useGuide } from '../guides/useGuide.tsx';
import { DivisionPicker } from './DivisionPicker.tsx';
import { isDivisionField } from './schema-form.ts';

interface Values {
  title?: string;
  divisionCode?: string;
}

/**
 * 在线申报, first step: the draft is created for the matter (a matter with a submission path is
 * applied for at a county bureau, chosen here), then the case editor opens.
 */
export default function ApplyPage() {
  const { t } = useI18n();
  const { code = '' } = useParams();
  const navigate = useNavigate();
  const { guide, fallback } = useGuide(code);
  const [creating, setCreating] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [form] = Form.useForm<Values>();

  if (!guide) return fallback;

  const needsCounty = (guide.submissionPath?.length ?? 0) > 0;
  const countyField = Object.entries(guide.form.schema.properties ?? {}).find(([name, p]) =>
    isDivisionField(name, p),
  )?.[0];

  const onFinish = async (values: Values) => {
    setFailure(null);
    setCreating(true);
    try {
      const title = values.title?.trim();
      const detail = await createCase({
        matterCode: guide.code,
        ...(needsCounty && values.divisionCode ? { divisionCode: values.divisionCode } : {}),
        ...(title ? { title } : {}),
        ...(needsCounty && values.divisionCode && countyField ? { form: { [countyField]: values.divisionCode } } : {}),
      });
      void navigate(`/portal/cases/${detail.id}`, { replace: true });
    } catch (cause) {
      setCreating(false);
      if (cause instanceof ApiError && cause.details.length > 0)
        setFailure(`${errorText(cause, t)}：${cause.details.map((d) => d.message).join('；')}`);
      else setFailure(errorText(cause, t));
    }
  };

  return (
    <Card className="guotu-portal-narrow" title={t('pc.apply.title')}>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {guide.name}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {needsCounty ? t('pc.apply.introCounty') : t('pc.apply.intro')}
      </Typography.Paragraph>
      <Form<Values> form={form} layout="vertical" onFinish={(v) => void onFinish(v)}>
        {needsCounty && (
          <Form.Item
            name="divisionCode"
            label={t('pc.apply.county')}
            extra={t('pc.apply.countyHint')}
            rules={[{ required: true, message: t('pc.apply.countyRequired') }]}
          >
            <DivisionPicker />
          </Form.Item>
        )}
        <Form.Item name="title" label={t('pc.apply.caseTitle')} extra={t('pc.apply.caseTitleHint')}>
          <Input maxLength={200} data-testid="apply-title" />
        </Form.Item>
        {failure && (
          <Alert type="error" showIcon style={{ marginBottom: 16 }} message={failure} data-testid="apply-error" />
        )}
        <Button type="primary" htmlType="submit" block loading={creating} data-testid="apply-create">
          {t('pc.apply.create')}
        </Button>
      </Form>
      <div style={{ marginTop: 16 }}>
        <Link to={`/portal/guides/${encodeURIComponent(guide.code)}`}>← {t('pc.apply.backToGuide')}</Link>
      </div>
    </Card>
  );
}
