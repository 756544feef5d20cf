import { Alert, Card, Col, Row, Statistic, Tabs, Typography } from 'antd';
import { useQuery } from '../../hooks/useQuery.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { MessageKey } from '../../i18n/types.ts';
import { supervisionLevels, overviewPath, verificationPath, type AuditVerification, type Overview } from './api.ts';
import { AlertsPanel, ClocksPanel } from './ClocksPanel.tsx';
import { OrdersPanel } from './OrdersPanel.tsx';
import { BulletinPanel } from './BulletinPanel.tsx';
import { AnomaliesPanel } from './AnomaliesPanel.tsx';
import { EfficiencyPanel } from './EfficiencyPanel.tsx';

/** The supervision office's workspace (电子监察): overview, clocks, alerts, anomalies,
 * orders (issue, answer, review), bulletins, efficiency scores and their weights. */
export default function SupervisionPage() {
  const { t } = useI18n();
  return (
    <div>
      <Typography.Title level={3} data-testid="page-title">
        {t('supervision.title')}
      </Typography.Title>
      <Tabs
        items={[
          { key: 'overview', label: t('supervision.tab.overview'), children: <OverviewPanel /> },
          { key: 'clocks', label: t('supervision.tab.clocks'), children: <ClocksPanel /> },
          { key: 'alerts', label: t('supervision.tab.alerts'), children: <AlertsPanel /> },
          { key: 'anomalies', label: t('supervision.tab.anomalies'), children: <AnomaliesPanel /> },
          { key: 'orders', label: t('supervision.tab.orders'), children: <OrdersPanel /> },
          { key: 'bulletins', label: t('supervision.tab.bulletins'), children: <BulletinPanel /> },
          { key: 'efficiency', label: t('supervision.tab.efficiency'), children: <EfficiencyPanel /> },
        ]}
      />
    </div>
  );
}

function OverviewPanel() {
  const { t } = useI18n();
  const overview = useQuery<Overview>(overviewPath);
  const verification = useQuery<AuditVerification>(verificationPath);
  const v = verification.data;
  return (
    <div>
      <Row gutter={16} data-testid="overview-counts">
        {supervisionLevels.map((level) => (
          <Col key={level} span={4}>
            <Card size="small">
              <Statistic
                title={t(`supervision.level.${level}` as MessageKey)}
                value={overview.data?.counts[level] ?? 0}
                loading={overview.loading}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <div style={{ marginTop: 16 }} data-testid="audit-verification">
        {verification.error ? (
          <Alert type="info" message={t('supervision.audit.unavailable')} />
        ) : v ? (
          <Alert
            type={v.ok ? 'success' : 'error'}
            message={
              v.ok
                ? t('supervision.audit.ok', { records: v.records, checkpoints: v.checkpoints })
                : t('supervision.audit.broken', { count: v.problems.length })
            }
            description={
              v.ok
                ? undefined
                : v.problems
                    .slice(0, 10)
                    .map((p) => `#${p.seq} ${p.kind}: ${p.message}`)
                    .join('；')
            }
          />
        ) : null}
      </div>
    </div>
  );
}
