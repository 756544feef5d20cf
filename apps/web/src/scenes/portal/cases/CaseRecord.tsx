import { Alert, Card, List, Space, Table, Tag, Timeline, Typography } from 'antd';
import { FilePdfOutlined } from '@ant-design/icons';
import type { CaseClockView, CaseDocumentView, CaseEventView, CaseSupplementView, CaseTier } from '@guotu/contracts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import type { MessageKey } from '../../../i18n/types.ts';
import { formatInstant } from '../../../lib/dates.ts';
import { CaseClockTag, clockPurposeText, eventText } from './labels.tsx';

/** The parts of an event's data worth showing to the applicant, with their labels. */
const eventDataKeys: Array<[string, MessageKey]> = [
  ['stepName', 'pc.eventData.step'],
  ['name', 'pc.eventData.step'],
  ['decision', 'pc.eventData.decision'],
  ['opinion', 'pc.eventData.opinion'],
  ['reason', 'pc.eventData.reason'],
  ['documentNumber', 'pc.eventData.documentNumber'],
  ['caseNumber', 'pc.eventData.caseNumber'],
  ['round', 'pc.eventData.round'],
];

export function CaseTimeline({ events }: { events: CaseEventView[] }) {
  const { t, locale } = useI18n();
  if (events.length === 0) return <Typography.Text type="secondary">{t('pc.timeline.empty')}</Typography.Text>;
  return (
    <Timeline
      data-testid="case-timeline"
      items={events.map((event) => {
        const shown = new Set<string>();
        const facts = eventDataKeys.flatMap(([key, label]) => {
          const value = event.data[key];
          if (shown.has(label) || (typeof value !== 'string' && typeof value !== 'number')) return [];
          shown.add(label);
          const text =
            key === 'decision' && (value === 'approved' || value === 'disapproved')
              ? t(`pc.decision.${value}`)
              : String(value);
          return [`${t(label)}：${text}`];
        });
        return {
          key: event.id,
          children: (
            <div data-testid="case-event" data-type={event.type}>
              <Typography.Text strong>{eventText(event.type, t)}</Typography.Text>
              <div>
                <Typography.Text type="secondary">
                  {formatInstant(event.at, locale)}
                  {event.tier ? ` · ${t(`pc.tier.${event.tier}`)}` : ''}
                  {event.orgName ? ` · ${event.orgName}` : ''}
                </Typography.Text>
              </div>
              {facts.map((fact) => (
                <div key={fact}>{fact}</div>
              ))}
            </div>
          ),
        };
      })}
    />
  );
}

export function ClockList({ clocks }: { clocks: CaseClockView[] }) {
  const { t, locale } = useI18n();
  if (clocks.length === 0) return <Typography.Text type="secondary">{t('pc.clock.none')}</Typography.Text>;
  return (
    <List
      size="small"
      data-testid="case-clocks"
      dataSource={clocks}
      renderItem={(clock) => (
        <List.Item data-testid="case-clock" data-purpose={clock.purpose} data-state={clock.state}>
          <Space direction="vertical" size={0} style={{ width: '100%' }}>
            <Space wrap>
              <Typography.Text strong>{clockPurposeText(clock.purpose, t)}</Typography.Text>
              <CaseClockTag state={clock.state} />
              <Typography.Text type="secondary">
                {clock.limit}
                {t(`clockUnit.${clock.unit}`)}
              </Typography.Text>
            </Space>
            <Typography.Text type="secondary">
              {t('pc.clock.started')}：{formatInstant(clock.startedAt, locale)}
              {clock.state === 'stopped' && clock.stoppedAt
                ? ` · ${t('pc.clock.stopped')}：${formatInstant(clock.stoppedAt, locale)}`
                : clock.dueDate || clock.dueAt
                  ? ` · ${t('pc.clock.due')}：${clock.dueAt ? formatInstant(clock.dueAt, locale) : clock.dueDate}`
                  : ''}
            </Typography.Text>
            {(clock.state === 'paused' || clock.pausedDays > 0) && (
              <Typography.Text type={clock.state === 'paused' ? 'warning' : 'secondary'} data-testid="clock-paused">
                {clock.state === 'paused' ? t('pc.clock.pausedNow') : t('pc.clock.pausedBefore')}
                {clock.pausedDays > 0
                  ? t('pc.clock.pausedDays', { n: clock.pausedDays, unit: t(`clockUnit.${clock.unit}`) })
                  : ''}
              </Typography.Text>
            )}
          </Space>
        </List.Item>
      )}
    />
  );
}

export function DocumentList({
  documents,
  hrefOf,
}: {
  documents: CaseDocumentView[];
  hrefOf: (doc: CaseDocumentView) => string;
}) {
  const { t, locale } = useI18n();
  if (documents.length === 0) return <Typography.Text type="secondary">{t('pc.document.none')}</Typography.Text>;
  return (
    <Table
      size="small"
      rowKey="id"
      pagination={false}
      scroll={{ x: 520 }}
      dataSource={documents}
      data-testid="case-documents"
      columns={[
        {
          title: t('pc.document.kind'),
          key: 'kind',
          render: (_: unknown, doc: CaseDocumentView) => (
            <a href={hrefOf(doc)} target="_blank" rel="noreferrer" data-testid="document-link">
              <FilePdfOutlined /> {t(`pc.documentKind.${doc.kind}`)}
            </a>
          ),
        },
        { title: t('pc.document.number'), dataIndex: 'number', render: (v: string | null) => v ?? '—' },
        { title: t('pc.document.issuedAt'), dataIndex: 'issuedAt', render: (v: string) => formatInstant(v, locale) },
        {
          title: t('pc.document.code'),
          dataIndex: 'verificationCode',
          render: (code: string) => <a href={`/portal/verify?code=${encodeURIComponent(code)}`}>{code}</a>,
        },
      ]}
    />
  );
}

/** 补正告知: the one complete list of what to add, with the note, as the window sent it. */
export function SupplementNotice({
  supplement,
  materialName,
}: {
  supplement: CaseSupplementView;
  materialName: (key: string) => string;
}) {
  const { t, locale } = useI18n();
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="supplement-notice"
      message={t('pc.supplement.title', { n: supplement.round })}
      description={
        <>
          <Typography.Paragraph style={{ marginBottom: 4 }}>
            {t('pc.supplement.requestedAt', { at: formatInstant(supplement.requestedAt, locale) })}
          </Typography.Paragraph>
          <ol style={{ paddingLeft: 18, marginBottom: 4 }}>
            {supplement.items.map((item, i) => (
              <li key={i}>
                {item.materialKey && <Tag>{materialName(item.materialKey)}</Tag>}
                {item.message}
              </li>
            ))}
          </ol>
          {supplement.note && <Typography.Paragraph type="secondary">{supplement.note}</Typography.Paragraph>}
          <Typography.Text type="secondary">{t('pc.supplement.hint')}</Typography.Text>
        </>
      }
    />
  );
}

export function tierText(tier: CaseTier | null, t: (key: MessageKey) => string): string {
  return tier ? t(`pc.tier.${tier}`) : '—';
}

export function CardSection({
  title,
  children,
  testId,
}: {
  title: string;
  children: React.ReactNode;
  testId?: string;
}) {
  return (
    <Card title={title} size="small" data-testid={testId}>
      {children}
    </Card>
  );
}
