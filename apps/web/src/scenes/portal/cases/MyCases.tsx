import { Link } from 'react-router-dom';
import { Button, Card, Empty, List, Space, Tag, Typography } from 'antd';
import { ReadOutlined } from '@ant-design/icons';
import type { CaseList } from '@guotu/contracts';
import { applicantApi } from '../../../api/applicant.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useQuery } from '../../../hooks/useQuery.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { formatInstant } from '../../../lib/dates.ts';
import { CaseClockTag, CaseStatusTag } from './labels.tsx';

/** 我的办件: my drafts and applications, newest first, with status, number and dates. */
export default function MyCases() {
  const { t, locale } = useI18n();
  const { data, error, loading, reload } = useQuery<CaseList>('/public/applicant/cases?limit=100', applicantApi);
  return (
    <Card
      title={t('pc.myCases.title')}
      extra={
        <Link to="/portal/guides">
          <Button type="primary" size="small" icon={<ReadOutlined />}>
            {t('pc.myCases.apply')}
          </Button>
        </Link>
      }
    >
      {error && <ErrorAlert error={error} onRetry={reload} />}
      <List
        loading={loading}
        dataSource={data?.items ?? []}
        data-testid="my-cases"
        locale={{ emptyText: <Empty description={t('pc.myCases.empty')} /> }}
        renderItem={(item) => (
          <List.Item data-testid="my-case" data-id={item.id}>
            <Space direction="vertical" size={2} style={{ width: '100%' }}>
              <Space wrap size={4}>
                <CaseStatusTag status={item.status} />
                {item.clockState && item.status !== 'draft' && <CaseClockTag state={item.clockState} />}
                {item.expedite && <Tag color="magenta">{t('pc.case.expedite')}</Tag>}
              </Space>
              <Link to={`/portal/cases/${item.id}`} style={{ fontSize: 16, fontWeight: 500 }}>
                {item.title}
              </Link>
              <Typography.Text type="secondary">{item.matterName}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                {item.caseNumber ? `${t('pc.case.number')} ${item.caseNumber} · ` : ''}
                {item.receivedAt
                  ? `${t('pc.case.receivedAt')} ${formatInstant(item.receivedAt, locale)}`
                  : `${t('pc.case.updatedAt')} ${formatInstant(item.updatedAt, locale)}`}
                {item.dueDate && item.status !== 'draft' ? ` · ${t('pc.clock.due')} ${item.dueDate}` : ''}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}
