import { Table, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { CaseList, CaseSummary } from '../../api/cases.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { formatInstant } from '../../lib/dates.ts';
import { CaseClockTag, ExpediteTag, StatusTag, TierTag } from './labels.tsx';

/** The cases of a list answer: number, title, matter, applicant, status, tier, office, clock, expedite. */
export function CaseTable({
  list,
  loading,
  page,
  pageSize,
  onPage,
  testId = 'case-table',
}: {
  list: CaseList | undefined;
  loading: boolean;
  page: number;
  pageSize: number;
  onPage: (page: number, pageSize: number) => void;
  testId?: string;
}) {
  const { t, locale } = useI18n();
  return (
    <Table<CaseSummary>
      size="small"
      rowKey="id"
      loading={loading}
      dataSource={list?.items ?? []}
      scroll={{ x: 'max-content' }}
      data-testid={testId}
      pagination={{
        current: page,
        pageSize,
        total: list?.total ?? 0,
        showSizeChanger: true,
        onChange: onPage,
        showTotal: (total) => t('cases.total', { total }),
      }}
      locale={{ emptyText: t('cases.empty') }}
      onRow={(record) =>
        ({ 'data-testid': 'case-row', 'data-case-id': record.id }) as React.HTMLAttributes<HTMLElement>
      }
      columns={[
        {
          title: t('cases.caseNumber'),
          dataIndex: 'caseNumber',
          render: (v: string | null, r) => (
            <Link to={`/console/cases/${r.id}`} data-testid="case-link">
              {v ?? t('cases.noNumber')}
            </Link>
          ),
        },
        {
          title: t('cases.title'),
          dataIndex: 'title',
          render: (v: string) => (
            <Typography.Text ellipsis style={{ maxWidth: 260 }} title={v}>
              {v}
            </Typography.Text>
          ),
        },
        { title: t('cases.matter'), dataIndex: 'matterName' },
        { title: t('cases.applicant'), dataIndex: 'applicantName' },
        { title: t('cases.status'), dataIndex: 'status', render: (_, r) => <StatusTag status={r.status} /> },
        { title: t('cases.tier'), dataIndex: 'tier', render: (_, r) => <TierTag tier={r.tier} /> },
        { title: t('cases.currentOrg'), dataIndex: 'currentOrgName', render: (v: string | null, r) => v ?? r.orgName },
        {
          title: t('cases.clock'),
          dataIndex: 'clockState',
          render: (_, r) => <CaseClockTag state={r.clockState} dueDate={r.dueDate} />,
        },
        { title: t('cases.expedite'), dataIndex: 'expedite', render: (_, r) => <ExpediteTag item={r} /> },
        {
          title: t('cases.receivedAt'),
          dataIndex: 'receivedAt',
          render: (v: string | null) => formatInstant(v, locale),
        },
      ]}
    />
  );
}
