import { Button, Empty, Table, Tag, Timeline, Typography } from 'antd';
import { FilePdfOutlined } from '@ant-design/icons';
import {
  caseDocumentUrl,
  type CaseClockView,
  type CaseDetail,
  type CaseDocumentView,
  type CaseEventView,
} from '../../api/cases.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { Translate } from '../../i18n/types.ts';
import { formatInstant } from '../../lib/dates.ts';
import { decisionText } from '../workflow/labels.ts';
import { CaseClockTag, clockPurposeText, eventTypeKey } from './labels.tsx';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/** The parts of an event's data worth a line: step, decision, document number, reason. */
function eventDetails(event: CaseEventView, t: Translate): string[] {
  const d = event.data;
  const parts: string[] = [];
  const step = str(d.stepName) ?? str(d.name) ?? str(d.node);
  if (step) parts.push(step);
  const decision = str(d.decision);
  if (decision) parts.push(`${t('tasks.decision')}: ${decisionText(decision, t)}`);
  const number = str(d.documentNumber) ?? str(d.caseNumber);
  if (number) parts.push(number);
  const target = str(d.toOrg) ?? str(d.targetName) ?? str(d.target);
  if (target) parts.push(`→ ${target}`);
  const tracker = str(d.expediteTracker) ?? str(d.tracker);
  if (tracker) parts.push(tracker);
  const feeItem = str(d.itemName);
  if (feeItem) parts.push(`${feeItem} ¥${str(d.amount) ?? ''}`);
  return parts;
}

/** Opinions are what people wrote: pulled out of the events for 流转记录 and the sign-off. */
export function eventOpinion(event: CaseEventView): string | undefined {
  return str(event.data.opinion) ?? str(event.data.reason);
}

/** 流转记录: every case event with its tier, office and actor, and the opinion written. */
export function CaseTimeline({ events }: { events: CaseEventView[] }) {
  const { t, locale } = useI18n();
  if (events.length === 0) return <Empty />;
  return (
    <Timeline
      data-testid="case-events"
      items={events.map((event) => {
        const key = eventTypeKey(event.type);
        const opinion = eventOpinion(event);
        const details = eventDetails(event, t);
        return {
          key: event.id,
          color:
            event.type === 'refused' || event.type === 'returned'
              ? 'red'
              : event.type === 'stepStarted'
                ? 'gray'
                : event.type === 'supplementRequested'
                  ? 'orange'
                  : 'green',
          children: (
            <div data-testid="case-event" data-type={event.type}>
              <Typography.Text strong>{key ? t(key) : event.type}</Typography.Text>
              {details.length > 0 && <Typography.Text> · {details.join(' · ')}</Typography.Text>}
              <br />
              <Typography.Text type="secondary">
                {formatInstant(event.at, locale)}
                {event.tier && ` · ${t(`caseTier.${event.tier}`)}`}
                {event.orgName && ` · ${event.orgName}`}
                {event.actorName && ` · ${event.actorName}`}
              </Typography.Text>
              {opinion && (
                <Typography.Paragraph style={{ margin: 0 }} data-testid="event-opinion">
                  {opinion}
                </Typography.Paragraph>
              )}
            </div>
          ),
        };
      })}
    />
  );
}

/** 时限: every clock of the case — purpose, limit, due, state, paused days. */
export function ClocksTable({ clocks }: { clocks: CaseClockView[] }) {
  const { t, locale } = useI18n();
  return (
    <Table<CaseClockView>
      size="small"
      pagination={false}
      rowKey={(c) => `${c.purpose}-${c.startedAt}`}
      dataSource={clocks}
      scroll={{ x: 'max-content' }}
      data-testid="case-clocks"
      locale={{ emptyText: t('cases.clock.none') }}
      columns={[
        { title: t('cases.clock.purpose'), dataIndex: 'purpose', render: (p: string) => clockPurposeText(p, t) },
        {
          title: t('cases.clock.limit'),
          key: 'limit',
          render: (_, c) => `${c.limit} ${t(`clockUnit.${c.unit}`)}`,
        },
        { title: t('cases.clock.started'), dataIndex: 'startedAt', render: (v: string) => formatInstant(v, locale) },
        {
          title: t('cases.clock.due'),
          key: 'due',
          render: (_, c) => c.dueDate ?? (c.dueAt ? formatInstant(c.dueAt, locale) : '—'),
        },
        { title: t('cases.clock.state'), dataIndex: 'state', render: (_, c) => <CaseClockTag state={c.state} /> },
        { title: t('cases.clock.paused'), dataIndex: 'pausedDays', align: 'right' },
        {
          title: t('cases.clock.stopped'),
          dataIndex: 'stoppedAt',
          render: (v: string | null) => (v ? formatInstant(v, locale) : '—'),
        },
      ]}
    />
  );
}

/** 文书: the PDFs issued for the case, with number and verification code. */
export function DocumentsList({ detail }: { detail: CaseDetail }) {
  const { t, locale } = useI18n();
  return (
    <Table<CaseDocumentView>
      size="small"
      pagination={false}
      rowKey="id"
      dataSource={detail.documents}
      scroll={{ x: 'max-content' }}
      data-testid="case-documents"
      locale={{ emptyText: t('cases.document.none') }}
      columns={[
        {
          title: t('cases.document.kind'),
          dataIndex: 'kind',
          render: (k: CaseDocumentView['kind']) => <Tag>{t(`caseDocument.${k}`)}</Tag>,
        },
        { title: t('cases.document.number'), dataIndex: 'number', render: (v: string | null) => v ?? '—' },
        { title: t('cases.document.issuedAt'), dataIndex: 'issuedAt', render: (v: string) => formatInstant(v, locale) },
        {
          title: t('cases.document.verification'),
          dataIndex: 'verificationCode',
          render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
        },
        {
          title: t('common.actions'),
          key: 'pdf',
          render: (_, d) => (
            <Button
              size="small"
              icon={<FilePdfOutlined />}
              href={caseDocumentUrl(detail.id, d.id)}
              target="_blank"
              data-testid="document-download"
            >
              PDF
            </Button>
          ),
        },
      ]}
    />
  );
}
