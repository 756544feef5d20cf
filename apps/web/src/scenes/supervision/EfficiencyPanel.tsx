import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Form, InputNumber, Row, Space, Table, Typography } from 'antd';
import { useQuery } from '../../hooks/useQuery.ts';
import { useCan } from '../../hooks/useSession.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { MessageKey } from '../../i18n/types.ts';
import { errorText } from '../../lib/error-text.ts';
import { ApiError } from '../../api/client.ts';
import {
  saveWeights,
  scoreWith,
  weightKeys,
  weightsPath,
  type EfficiencyWeights,
  type ScoreComponents,
  type WeightKey,
} from './api.ts';
import { PeriodBar, useBulletinPeriod } from './PeriodBar.tsx';

const sameWeights = (a: EfficiencyWeights, b: EfficiencyWeights) => weightKeys.every((k) => a[k] === b[k]);
const complete = (v: Partial<EfficiencyWeights>): v is EfficiencyWeights =>
  weightKeys.every((k) => typeof v[k] === 'number' && Number.isFinite(v[k]));
const percent = (value: number | undefined) => (value === undefined ? '—' : `${Math.round(value * 1000) / 10}%`);

/**
 * 效能评分: the weights of the score components (editable by the supervision office, audited on
 * the server) and the scores of offices and people for a period, with a preview of the scores
 * under weights not yet saved.
 */
export function EfficiencyPanel() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const canEdit = useCan()('supervision.act');
  const saved = useQuery<EfficiencyWeights>(weightsPath);
  const periodState = useBulletinPeriod();
  const { bulletin } = periodState;
  const [form] = Form.useForm<EfficiencyWeights>();
  const edited = Form.useWatch([], form) as Partial<EfficiencyWeights> | undefined;
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (saved.data) form.setFieldsValue(saved.data);
  }, [saved.data, form]);

  const draft = edited && complete(edited) ? edited : undefined;
  const allZero = draft !== undefined && weightKeys.every((k) => draft[k] === 0);
  const dirty = draft !== undefined && saved.data !== undefined && !sameWeights(draft, saved.data);
  const total = draft ? weightKeys.reduce((n, k) => n + draft[k], 0) : 0;
  const preview = (components: ScoreComponents) => (draft && !allZero ? scoreWith(components, draft) : null);

  const submit = async (values: EfficiencyWeights) => {
    if (weightKeys.every((k) => values[k] === 0)) return;
    setBusy(true);
    try {
      await saveWeights(values);
      void message.success(t('supervision.efficiency.saved'));
      saved.reload();
      bulletin.reload();
    } catch (error) {
      // the server names the offending fields (body.onTime …) on VALIDATION_FAILED
      if (error instanceof ApiError && error.details.length > 0)
        form.setFields(
          error.details
            .map((d) => ({ key: (d.path ?? '').replace(/^body\.?/, ''), message: d.message }))
            .filter((d): d is { key: WeightKey; message: string } => (weightKeys as readonly string[]).includes(d.key))
            .map((d) => ({ name: d.key, errors: [d.message] })),
        );
      void message.error(errorText(error, t));
    } finally {
      setBusy(false);
    }
  };

  const scoreColumns = [
    ...weightKeys.map((k) => ({
      title: t(`supervision.efficiency.weight.${k}` as MessageKey),
      render: (_: unknown, r: { components: ScoreComponents }) => percent(r.components[k]),
    })),
    {
      title: t('supervision.efficiency.score'),
      render: (_: unknown, r: { score: number | null }) => <b>{r.score ?? '—'}</b>,
    },
    ...(dirty
      ? [
          {
            title: t('supervision.efficiency.preview'),
            render: (_: unknown, r: { components: ScoreComponents }) => (
              <Typography.Text type="warning" data-testid="score-preview">
                {preview(r.components) ?? '—'}
              </Typography.Text>
            ),
          },
        ]
      : []),
  ];

  return (
    <div>
      <Card size="small" title={t('supervision.efficiency.weights')} data-testid="weights-card">
        <Form<EfficiencyWeights>
          form={form}
          layout="vertical"
          disabled={!canEdit}
          onFinish={(v) => void submit(v)}
          data-testid="weights-form"
        >
          <Row gutter={16}>
            {weightKeys.map((k) => (
              <Col span={6} key={k}>
                <Form.Item
                  name={k}
                  label={t(`supervision.efficiency.weight.${k}` as MessageKey)}
                  tooltip={t(`supervision.efficiency.help.${k}` as MessageKey)}
                  extra={
                    draft && total > 0
                      ? t('supervision.efficiency.share', { share: Math.round((1000 * draft[k]) / total) / 10 })
                      : undefined
                  }
                  rules={[
                    { required: true, message: t('supervision.efficiency.required') },
                    { type: 'number', min: 0, max: 100, message: t('supervision.efficiency.range') },
                  ]}
                >
                  <InputNumber step={0.05} style={{ width: '100%' }} data-testid={`weight-${k}`} />
                </Form.Item>
              </Col>
            ))}
          </Row>
          {allZero && (
            <Alert
              type="error"
              showIcon
              message={t('supervision.efficiency.allZero')}
              data-testid="weights-all-zero"
              style={{ marginBottom: 12 }}
            />
          )}
          <Typography.Paragraph type="secondary">{t('supervision.efficiency.formula')}</Typography.Paragraph>
          {canEdit ? (
            <Space>
              <Button
                type="primary"
                htmlType="submit"
                loading={busy}
                disabled={!dirty || allZero}
                data-testid="weights-save"
              >
                {t('supervision.efficiency.save')}
              </Button>
              <Button disabled={!dirty} onClick={() => saved.data && form.setFieldsValue(saved.data)}>
                {t('supervision.efficiency.reset')}
              </Button>
            </Space>
          ) : (
            <Typography.Text type="secondary">{t('supervision.efficiency.readOnly')}</Typography.Text>
          )}
        </Form>
      </Card>
      <PeriodBar value={periodState} style={{ margin: '16px 0 12px' }}>
        {bulletin.data && <Typography.Text type="secondary">{bulletin.data.period.label}</Typography.Text>}
      </PeriodBar>
      <Table
        rowKey="orgId"
        size="small"
        data-testid="office-scores"
        title={() => t('supervision.efficiency.offices')}
        loading={bulletin.loading}
        dataSource={bulletin.data?.byOffice ?? []}
        pagination={false}
        columns={[
          { title: t('supervision.order.org'), dataIndex: 'orgName' },
          { title: t('supervision.bulletin.finished'), dataIndex: 'finishedSteps' },
          ...scoreColumns,
        ]}
      />
      <Table
        rowKey="username"
        size="small"
        style={{ marginTop: 16 }}
        data-testid="people-scores"
        title={() => t('supervision.efficiency.people')}
        loading={bulletin.loading}
        dataSource={bulletin.data?.people ?? []}
        pagination={false}
        columns={[
          { title: t('supervision.efficiency.name'), dataIndex: 'name' },
          { title: t('supervision.order.org'), dataIndex: 'orgName' },
          { title: t('supervision.bulletin.finished'), dataIndex: 'finishedSteps' },
          ...scoreColumns,
        ]}
      />
    </div>
  );
}
