import { Descriptions, Tag, Timeline, Typography, type TimelineItemProps } from 'antd';
import { pauseKinds, type ClockEvent, type ExplainedDay, type PauseKind } from '@guotu/domain';
import type { ClockExplanationView } from '../api/calendar.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import type { Translate } from '../i18n/types.ts';
import { dateWithWeekday, shanghaiMinute } from '../lib/dates.ts';
import { ClockStateTag } from './ClockStateTag.tsx';
import './clock-explanation.css';

/**
 * A clock as the server explains it (POST /clocks/compute, and later a case's clocks): the
 * state, the due date, elapsed and remaining time, then every day from the start to the due
 * date — counted (with its ordinal) or skipped and why — with pauses highlighted. Nothing is
 * computed here; the day list is the server's.
 */
export function ClockExplanation({ explanation }: { explanation: ClockExplanationView }) {
  const { t, locale } = useI18n();
  const { evaluation, days, segments, events } = explanation;
  const unit = t(`clockUnit.${evaluation.unit}`);
  const due = evaluation.due ?? evaluation.projectedDue;

  return (
    <div data-testid="clock-explanation">
      <Descriptions size="small" bordered column={{ xs: 1, sm: 2, lg: 3 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('clock.state')}>
          <ClockStateTag state={evaluation.state} />
        </Descriptions.Item>
        <Descriptions.Item label={evaluation.due ? t('clock.due') : t('clock.projectedDue')}>
          <Typography.Text strong data-testid="clock-due">
            {due ? `${dateWithWeekday(due.date, locale)} ${due.instant.slice(11, 16)}` : '—'}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('clock.total')}>
          {t('clock.amount', { n: evaluation.total, unit })}
          {evaluation.extended > 0 && ` (${t('clock.extendedBy', { n: evaluation.extended, unit })})`}
        </Descriptions.Item>
        <Descriptions.Item label={t('clock.elapsed')}>
          {t('clock.amount', { n: round(evaluation.elapsed), unit })}
        </Descriptions.Item>
        <Descriptions.Item label={t('clock.remaining')}>
          {evaluation.remaining < 0
            ? t('clock.overdueBy', { n: round(-evaluation.remaining), unit })
            : t('clock.amount', { n: round(evaluation.remaining), unit })}
        </Descriptions.Item>
        <Descriptions.Item label={t('clock.pausedUnits')}>
          {t('clock.amount', { n: round(evaluation.pausedUnits), unit })}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5}>{t('clock.timeline')}</Typography.Title>
      <div className="guotu-clock-timeline">
        {days.length > 0 ? (
          <Timeline items={days.map((day) => dayItem(day, events, t, locale))} data-testid="clock-timeline" />
        ) : (
          <Timeline
            data-testid="clock-timeline"
            items={segments.map((segment) => ({
              key: segment.from,
              color: segment.counted ? 'green' : 'orange',
              children: `${shanghaiMinute(segment.from)} – ${shanghaiMinute(segment.to)} · ${
                segment.counted
                  ? t('clock.hoursCounted', { n: round(segment.hours) })
                  : t('clock.hoursPaused', { n: round(segment.hours), kind: pauseKindText(segment.pauseKind, t) })
              }${segment.pauseReason ? ` · ${segment.pauseReason}` : ''}`,
            }))}
          />
        )}
      </div>
    </div>
  );
}

const round = (n: number) => Math.round(n * 100) / 100;

function dayItem(day: ExplainedDay, events: ClockEvent[], t: Translate, locale: 'zh-CN' | 'en-US'): TimelineItemProps {
  const marks = events.filter((event) => event.date === day.date);
  const paused = day.reason === 'paused';
  const color = day.counted ? (day.extension !== undefined ? 'blue' : 'green') : paused ? 'orange' : 'gray';
  return {
    key: day.date,
    color,
    children: (
      <div
        className={paused ? 'guotu-clock-day guotu-clock-day-paused' : 'guotu-clock-day'}
        data-testid="clock-day"
        data-date={day.date}
        data-counted={day.counted}
        data-reason={day.reason}
      >
        <Typography.Text strong>{dateWithWeekday(day.date, locale)}</Typography.Text>{' '}
        {day.counted ? (
          <Tag color={color === 'blue' ? 'blue' : 'green'}>{t('clock.countedOrdinal', { n: day.ordinal ?? 0 })}</Tag>
        ) : (
          <Tag color={paused ? 'orange' : 'default'}>{t('clock.skipped')}</Tag>
        )}
        <Typography.Text type={day.counted ? undefined : 'secondary'}>{reasonText(day, t)}</Typography.Text>
        {day.extension !== undefined && <Tag color="blue">{t('clock.byExtension', { n: day.extension + 1 })}</Tag>}
        {marks.map((event) => (
          <Tag key={`${event.kind}-${event.instant}`} color={event.kind === 'due' ? 'red' : 'purple'}>
            {eventText(event, t)}
          </Tag>
        ))}
      </div>
    ),
  };
}

function reasonText(day: ExplainedDay, t: Translate): string {
  switch (day.reason) {
    case 'start':
      return t('clock.reason.start');
    case 'paused':
      return t('clock.reason.paused', {
        kind: pauseKindText(day.pauseKind, t),
        reason: day.pauseReason ?? '',
      });
    case 'restDayRule':
      return t('clock.reason.restDayRule');
    case 'weekday':
      return t('dayReason.weekday');
    case 'weekend':
      return t('dayReason.weekend');
    case 'holiday':
      return t('clock.reason.holiday', { name: day.name ?? '' });
    case 'makeupWorkday':
      return t('clock.reason.makeupWorkday', { name: day.name ?? '' });
    case 'regionalRestDay':
      return t('clock.reason.regionalRestDay', { name: day.name ?? '' });
  }
}

function eventText(event: ClockEvent, t: Translate): string {
  const time = shanghaiMinute(event.instant).slice(11);
  switch (event.kind) {
    case 'started':
      return t('clock.event.started', { time });
    case 'paused':
      return t('clock.event.paused', { time });
    case 'resumed':
      return t('clock.event.resumed', { time });
    case 'extended':
      return t('clock.event.extended', { n: event.amount ?? 0, approver: event.approver ?? '' });
    case 'stopped':
      return t('clock.event.stopped', { time });
    case 'due':
      return t('clock.event.due');
  }
}

function pauseKindText(kind: string | undefined, t: Translate): string {
  return kind !== undefined && (pauseKinds as readonly string[]).includes(kind)
    ? t(`pauseKind.${kind as PauseKind}`)
    : (kind ?? '');
}
