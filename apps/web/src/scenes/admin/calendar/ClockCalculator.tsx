import { useState } from 'react';
import { Button, Card, Col, DatePicker, Form, InputNumber, Row, Select, Typography } from 'antd';
import { CalculatorOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import type { ClockUnit, PauseKind } from '@guotu/domain';
import { computeClock, type ClockExplanationView, type ClockRequest } from '../../../api/calendar.ts';
import { ClockExplanation } from '../../../components/ClockExplanation.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { beijing, minuteFormat } from '../../../lib/dates.ts';
import { ExtensionsList, PausesList } from './ClockCalculatorLists.tsx';

export interface PauseValues {
  kind: PauseKind;
  from: Dayjs;
  to?: Dayjs | null;
  reason?: string;
}
export interface ExtensionValues {
  amount: number;
  approver: string;
  reason?: string;
  at: Dayjs;
}
interface Values {
  unit: ClockUnit;
  start: Dayjs;
  limit: number;
  now?: Dayjs | null;
  pauses?: PauseValues[];
  extensions?: ExtensionValues[];
}

function toRequest(values: Values): ClockRequest {
  return {
    unit: values.unit,
    start: beijing(values.start),
    limit: values.limit,
    pauses: (values.pauses ?? []).map((p) => ({
      kind: p.kind,
      from: beijing(p.from),
      to: p.to ? beijing(p.to) : null,
      reason: p.reason?.trim() ?? '',
    })),
    extensions: (values.extensions ?? []).map((e) => ({
      amount: e.amount,
      approver: e.approver.trim(),
      reason: e.reason?.trim() ?? '',
      at: beijing(e.at),
    })),
    ...(values.now ? { now: beijing(values.now) } : {}),
  };
}

/** 时限计算器: any clock through POST /clocks/compute, explained day by day. */
export function ClockCalculator() {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const [result, setResult] = useState<ClockExplanationView | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const required = { required: true, message: t('common.required') };

  async function submit(values: Values) {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await computeClock(toRequest(values)));
    } catch (cause) {
      setResult(undefined);
      setError(cause);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={10}>
        <Card title={t('calc.input')}>
          <Typography.Paragraph type="secondary">{t('calc.hint')}</Typography.Paragraph>
          <Form
            form={form}
            layout="vertical"
            initialValues={{ unit: 'workday', limit: 20, start: dayjs().hour(9).minute(0) }}
            onFinish={(values) => void submit(values)}
            data-testid="calc-form"
          >
            <Row gutter={12}>
              <Col xs={24} sm={12}>
                <Form.Item name="unit" label={t('calc.unit')} rules={[required]}>
                  <Select
                    data-testid="calc-unit"
                    options={(['workday', 'day', 'hour'] as const).map((unit) => ({
                      value: unit,
                      label: t(`clockUnit.${unit}`),
                    }))}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="limit" label={t('calc.limit')} rules={[required]}>
                  <InputNumber min={1} max={3650} precision={0} style={{ width: '100%' }} data-testid="calc-limit" />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="start" label={t('calc.start')} rules={[required]} extra={t('calc.startHint')}>
                  <DatePicker showTime format={minuteFormat} style={{ width: '100%' }} data-testid="calc-start" />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="now" label={t('calc.now')} extra={t('calc.nowHint')}>
                  <DatePicker showTime format={minuteFormat} style={{ width: '100%' }} data-testid="calc-now" />
                </Form.Item>
              </Col>
            </Row>
            <PausesList />
            <ExtensionsList />
            <Button
              type="primary"
              htmlType="submit"
              icon={<CalculatorOutlined />}
              loading={busy}
              data-testid="calc-submit"
            >
              {t('calc.compute')}
            </Button>
          </Form>
        </Card>
      </Col>
      <Col xs={24} xl={14}>
        <Card title={t('calc.result')}>
          {error !== undefined && <ErrorAlert error={error} />}
          {result ? (
            <ClockExplanation explanation={result} />
          ) : (
            error === undefined && <Typography.Text type="secondary">{t('calc.empty')}</Typography.Text>
          )}
        </Card>
      </Col>
    </Row>
  );
}
