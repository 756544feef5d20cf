import { useState } from 'react';
import { Alert, Button, Card, Form, Input } from 'antd';
import { useI18n } from '../../i18n/I18nProvider.tsx';

interface Values {
  caseNumber: string;
  queryCode: string;
}

/**
 * The progress query form (case number + query code). The backend is not built yet, so a
 * submit says so plainly instead of pretending to look anything up.
 */
export default function ProgressQuery() {
  const { t } = useI18n();
  const [submitted, setSubmitted] = useState(false);
  return (
    <Card title={t('portal.progressTitle')} style={{ maxWidth: 560, margin: '0 auto' }}>
      <Form<Values> layout="vertical" onFinish={() => setSubmitted(true)} onValuesChange={() => setSubmitted(false)}>
        <Form.Item
          name="caseNumber"
          label={t('portal.caseNumber')}
          rules={[{ required: true, whitespace: true, message: t('portal.caseNumberRequired') }]}
        >
          <Input maxLength={40} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="queryCode"
          label={t('portal.queryCode')}
          rules={[{ required: true, whitespace: true, message: t('portal.queryCodeRequired') }]}
        >
          <Input maxLength={20} autoComplete="off" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block>
          {t('portal.query')}
        </Button>
      </Form>
      {submitted && (
        <Alert
          style={{ marginTop: 16 }}
          type="info"
          showIcon
          message={t('common.notAvailable')}
          description={t('portal.progressNotAvailable')}
          data-testid="progress-not-available"
        />
      )}
    </Card>
  );
}
