import { Table, Tag } from 'antd';
import { useQuery } from '../../hooks/useQuery.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { MessageKey } from '../../i18n/types.ts';
import { anomaliesPath, type Anomaly } from './api.ts';

/** Anomalies beyond time, with the rule that fired (docs/supervision.md). */
export function AnomaliesPanel() {
  const { t } = useI18n();
  const anomalies = useQuery<Anomaly[]>(anomaliesPath);
  return (
    <Table<Anomaly>
      rowKey={(a) => `${a.rule}-${a.instanceId ?? ''}-${a.taskKey ?? ''}-${a.at}-${a.detail}`}
      size="small"
      data-testid="anomalies-table"
      loading={anomalies.loading}
      dataSource={anomalies.data ?? []}
      columns={[
        {
          title: t('supervision.anomaly.rule'),
          render: (_, a) => <Tag color="volcano">{t(`supervision.rule.${a.rule}` as MessageKey)}</Tag>,
        },
        { title: t('supervision.order.case'), render: (_, a) => a.caseNumber ?? a.instanceId ?? '—' },
        { title: t('supervision.anomaly.by'), render: (_, a) => a.byUser ?? '—' },
        {
          title: t('supervision.anomaly.at'),
          render: (_, a) => new Date(a.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }),
        },
        { title: t('supervision.anomaly.detail'), dataIndex: 'detail' },
      ]}
    />
  );
}
