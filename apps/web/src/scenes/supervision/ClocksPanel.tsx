import { useState } from 'react';
import { Select, Space, Table, Tag } from 'antd';
import { useQuery } from '../../hooks/useQuery.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { MessageKey } from '../../i18n/types.ts';
import {
  alertsPath,
  clocksPath,
  orderTargetsPath,
  supervisionLevels,
  type AlertItem,
  type ClockItem,
  type OrderTarget,
  type SupervisionLevel,
} from './api.ts';

const levelColor: Record<SupervisionLevel, string> = {
  normal: 'green',
  warning: 'gold',
  overdue: 'red',
  paused: 'default',
  calendarNotCovered: 'purple',
};
const local = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }) : '—';

/** Open clocks, filtered by state and by subject (steps of cases, supervision orders). */
export function ClocksPanel() {
  const { t } = useI18n();
  const [level, setLevel] = useState<SupervisionLevel | undefined>(undefined);
  const [subject, setSubject] = useState<string | undefined>(undefined);
  const [orgId, setOrgId] = useState<number | undefined>(undefined);
  const clocks = useQuery<ClockItem[]>(clocksPath(level, orgId));
  const orgs = useQuery<OrderTarget[]>(orderTargetsPath);
  const rows = (clocks.data ?? []).filter((c) => subject === undefined || c.subjectType === subject);
  return (
    <div>
      <Space style={{ marginBottom: 12 }}>
        <Select
          allowClear
          data-testid="clock-level-filter"
          placeholder={t('supervision.filter.level')}
          style={{ width: 180 }}
          value={level}
          onChange={(v: SupervisionLevel | undefined) => setLevel(v)}
          options={supervisionLevels.map((l) => ({ value: l, label: t(`supervision.level.${l}` as MessageKey) }))}
        />
        <Select
          allowClear
          showSearch
          data-testid="clock-org-filter"
          optionFilterProp="label"
          placeholder={t('supervision.filter.org')}
          style={{ width: 240 }}
          value={orgId}
          onChange={(v: number | undefined) => setOrgId(v)}
          options={(orgs.data ?? []).map((o) => ({
            value: o.id,
            label: `${'　'.repeat(Math.max(0, o.path.split('/').length - 3))}${o.name}`,
          }))}
        />
        <Select
          allowClear
          placeholder={t('supervision.filter.subject')}
          style={{ width: 180 }}
          value={subject}
          onChange={(v: string | undefined) => setSubject(v)}
          options={[...new Set((clocks.data ?? []).map((c) => c.subjectType))].map((s) => ({ value: s, label: s }))}
        />
      </Space>
      <Table<ClockItem>
        rowKey="id"
        size="small"
        loading={clocks.loading}
        dataSource={rows}
        columns={[
          { title: t('supervision.col.subject'), render: (_, c) => `${c.subjectType} ${c.subjectId}` },
          { title: t('supervision.col.purpose'), dataIndex: 'purpose' },
          { title: t('supervision.col.limit'), render: (_, c) => `${c.limit} ${c.unit}` },
          { title: t('supervision.col.due'), render: (_, c) => c.dueDate ?? '—' },
          {
            title: t('supervision.col.state'),
            render: (_, c) => <Tag color={levelColor[c.level]}>{t(`supervision.level.${c.level}` as MessageKey)}</Tag>,
          },
        ]}
      />
    </div>
  );
}

export function AlertsPanel() {
  const { t } = useI18n();
  const alerts = useQuery<AlertItem[]>(alertsPath);
  return (
    <Table<AlertItem>
      rowKey="id"
      size="small"
      loading={alerts.loading}
      dataSource={alerts.data ?? []}
      columns={[
        {
          title: t('supervision.col.state'),
          render: (_, a) => (
            <Tag color={a.level === 'overdue' ? 'red' : 'gold'}>{t(`supervision.level.${a.level}` as MessageKey)}</Tag>
          ),
        },
        { title: t('supervision.col.subject'), render: (_, a) => `${a.subjectType} ${a.subjectId}` },
        { title: t('supervision.col.due'), render: (_, a) => local(a.dueAt) },
        { title: t('supervision.col.raised'), render: (_, a) => local(a.raisedAt) },
        { title: t('supervision.col.escalated'), render: (_, a) => local(a.escalatedAt) },
        { title: t('supervision.col.resolved'), render: (_, a) => local(a.resolvedAt) },
      ]}
    />
  );
}
