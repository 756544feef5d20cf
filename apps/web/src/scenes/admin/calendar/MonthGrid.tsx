import { Tooltip, Typography } from 'antd';
import type { CalendarDay } from '../../../api/calendar.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import type { Translate } from '../../../i18n/types.ts';
import { monthName, weekdayName, weekdayOfDate } from '../../../lib/dates.ts';

// Weeks start on Monday, as Chinese calendars print them.
const columns = [1, 2, 3, 4, 5, 6, 0];

/** One month as a compact grid: holidays (休, with the name), makeup workdays (班), weekends. */
export function MonthGrid({ month, days }: { month: number; days: CalendarDay[] }) {
  const { t, locale } = useI18n();
  const first = days[0];
  if (!first) return null;
  const lead = columns.indexOf(weekdayOfDate(first.date));
  const cells: (CalendarDay | null)[] = [...Array<null>(lead).fill(null), ...days];

  return (
    <div className="guotu-month" data-testid={`month-${month}`}>
      <Typography.Text strong className="guotu-month-title">
        {monthName(month, locale)}
      </Typography.Text>
      <div className="guotu-month-grid">
        {columns.map((weekday) => (
          <div key={`h${weekday}`} className="guotu-month-head">
            {weekdayName(weekday, locale, 'narrow')}
          </div>
        ))}
        {cells.map((day, index) => (day ? <DayCell key={day.date} day={day} t={t} /> : <div key={`blank${index}`} />))}
      </div>
      <MonthNotes days={days} t={t} />
    </div>
  );
}

function dayTitle(day: CalendarDay, t: Translate): string {
  const reason = t(`dayReason.${day.reason}`);
  return day.name ? `${day.date} ${day.name} · ${reason}` : `${day.date} · ${reason}`;
}

function DayCell({ day, t }: { day: CalendarDay; t: Translate }) {
  const mark =
    day.reason === 'holiday' || day.reason === 'regionalRestDay'
      ? t('calendar.restMark')
      : day.reason === 'makeupWorkday'
        ? t('calendar.workMark')
        : null;
  return (
    <Tooltip title={dayTitle(day, t)}>
      <div
        className={`guotu-day guotu-day-${day.reason}`}
        data-testid="calendar-day"
        data-date={day.date}
        data-reason={day.reason}
        aria-label={dayTitle(day, t)}
      >
        {Number(day.date.slice(8))}
        {mark && <span className="guotu-day-mark">{mark}</span>}
      </div>
    </Tooltip>
  );
}

interface Run {
  from: string;
  to: string;
  reason: CalendarDay['reason'];
  name: string;
}

/** The month's holidays and makeup workdays in words, consecutive days as one range. */
function MonthNotes({ days, t }: { days: CalendarDay[]; t: Translate }) {
  const runs: Run[] = [];
  for (const day of days) {
    if (day.reason !== 'holiday' && day.reason !== 'makeupWorkday' && day.reason !== 'regionalRestDay') continue;
    const last = runs.at(-1);
    const previous = new Date(Date.parse(`${day.date}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    if (last && last.reason === day.reason && last.name === (day.name ?? '') && last.to === previous)
      last.to = day.date;
    else runs.push({ from: day.date, to: day.date, reason: day.reason, name: day.name ?? '' });
  }
  if (runs.length === 0) return null;
  return (
    <ul className="guotu-month-notes">
      {runs.map((run) => (
        <li key={run.from} className={`guotu-note-${run.reason}`} data-testid="calendar-note">
          {run.from.slice(5)}
          {run.to !== run.from && `–${run.to.slice(5)}`} {run.name} {t(`dayReason.${run.reason}`)}
        </li>
      ))}
    </ul>
  );
}
