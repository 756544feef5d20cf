import { useState } from 'react';
import { Button, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { timeLimitRulesPath, type TimeLimitRule } from '../../../api/calendar.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useQuery } from '../../../hooks/useQuery.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { RuleFormModal } from './RuleFormModal.tsx';

/** The time-limit rule table (法定时限 / 承诺时限), each row with its legal source. */
export function TimeLimitRules({ canManage }: { canManage: boolean }) {
  const { t } = useI18n();
  const rules = useQuery<TimeLimitRule[]>(timeLimitRulesPath);
  const [editing, setEditing] = useState<TimeLimitRule | undefined>(undefined);

  const columns: TableColumnsType<TimeLimitRule> = [
    {
      title: t('rules.name'),
      key: 'name',
      render: (_value, rule) => (
        <>
          <Typography.Text strong>{rule.name}</Typography.Text>
          <br />
          <Typography.Text type="secondary" code>
            {rule.key}
          </Typography.Text>
        </>
      ),
    },
    {
      title: t('rules.limit'),
      key: 'limit',
      render: (_value, rule) => t('clock.amount', { n: rule.limit, unit: t(`clockUnit.${rule.unit}`) }),
    },
    {
      title: t('rules.extension'),
      key: 'extension',
      render: (_value, rule) =>
        rule.extension === null ? '—' : t('clock.amount', { n: rule.extension, unit: t(`clockUnit.${rule.unit}`) }),
    },
    {
      title: t('rules.kind'),
      key: 'kind',
      render: (_value, rule) => (
        <Tag color={rule.kind === 'statutoryLimit' ? 'geekblue' : 'purple'}>{t(`rules.kind.${rule.kind}`)}</Tag>
      ),
    },
    {
      title: t('rules.source'),
      key: 'source',
      render: (_value, rule) => (
        <>
          {rule.source.law}
          <br />
          <Typography.Text type="secondary">{rule.source.article}</Typography.Text>
        </>
      ),
    },
    {
      title: t('rules.notes'),
      dataIndex: 'notes',
      key: 'notes',
      width: 320,
      render: (notes: string | undefined) => (
        <Typography.Paragraph type="secondary" ellipsis={{ rows: 3, tooltip: notes }} style={{ margin: 0 }}>
          {notes ?? '—'}
        </Typography.Paragraph>
      ),
    },
  ];
  if (canManage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_value, rule) => (
        <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(rule)}>
          {t('common.edit')}
        </Button>
      ),
    });
  }

  return (
    <>
      {rules.error && <ErrorAlert error={rules.error} onRetry={rules.reload} />}
      <Typography.Paragraph type="secondary">{t('rules.hint')}</Typography.Paragraph>
      <Table<TimeLimitRule>
        rowKey="key"
        size="middle"
        columns={columns}
        dataSource={rules.data ?? []}
        loading={rules.loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="rules-table"
      />
      {canManage && editing && (
        <RuleFormModal
          key={editing.key}
          rule={editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            rules.reload();
          }}
        />
      )}
    </>
  );
}
