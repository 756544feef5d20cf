import { useMemo, useState } from 'react';
import { Button, Card, Descriptions, Select, Space, Spin, Tag, Typography } from 'antd';
import { ImportOutlined } from '@ant-design/icons';
import { calendarYearPath, calendarYearsPath, type CalendarYear, type CoveredYear } from '../../../api/calendar.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useQuery } from '../../../hooks/useQuery.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { ImportNoticeModal } from './ImportNoticeModal.tsx';
import { MonthGrid } from './MonthGrid.tsx';

const months = Array.from({ length: 12 }, (_, i) => i + 1);

/** The year picker over covered years, the notice it rests on, and the twelve months. */
export function YearCalendar({ canManage }: { canManage: boolean }) {
  const { t } = useI18n();
  const years = useQuery<CoveredYear[]>(calendarYearsPath);
  const [picked, setPicked] = useState<number | undefined>(undefined);
  const [importing, setImporting] = useState(false);
  const covered = years.data ?? [];
  // default: this year when covered, else the latest covered year
  const thisYear = new Date().getFullYear();
  const year = picked ?? (covered.some((y) => y.year === thisYear) ? thisYear : covered.at(-1)?.year);
  const detail = useQuery<CalendarYear>(year === undefined ? null : calendarYearPath(year));
  const shown = detail.data?.year === year ? detail.data : undefined;

  const byMonth = useMemo(() => {
    const groups = new Map<number, CalendarYear['days']>();
    for (const day of shown?.days ?? []) {
      const month = Number(day.date.slice(5, 7));
      groups.set(month, [...(groups.get(month) ?? []), day]);
    }
    return groups;
  }, [shown]);

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <div className="guotu-page-head" style={{ marginBottom: 12 }}>
          <Space wrap>
            <Typography.Text>{t('calendar.year')}</Typography.Text>
            <Select
              value={year}
              loading={years.loading}
              style={{ width: 120 }}
              options={[...covered].reverse().map((y) => ({ value: y.year, label: String(y.year) }))}
              onChange={(value: number) => setPicked(value)}
              data-testid="calendar-year"
            />
          </Space>
          {canManage && (
            <Button icon={<ImportOutlined />} onClick={() => setImporting(true)} data-testid="calendar-import">
              {t('calendar.import')}
            </Button>
          )}
        </div>
        {years.error && <ErrorAlert error={years.error} onRetry={years.reload} />}
        {detail.error && <ErrorAlert error={detail.error} onRetry={detail.reload} />}
        {shown && (
          <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }} data-testid="calendar-notice">
            <Descriptions.Item label={t('calendar.notice')}>
              {shown.url ? (
                <a href={shown.url} target="_blank" rel="noreferrer">
                  {shown.notice ?? t('calendar.noNotice')}
                </a>
              ) : (
                (shown.notice ?? t('calendar.noNotice'))
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('calendar.published')}>{shown.published ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('calendar.origin')}>
              <Tag color={shown.origin === 'imported' ? 'blue' : 'default'}>{t(`calendar.origin.${shown.origin}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('calendar.workingDays')}>{shown.workingDays}</Descriptions.Item>
          </Descriptions>
        )}
        <Space wrap size={16} className="guotu-calendar-legend">
          <span className="guotu-legend guotu-day-holiday">{t('dayReason.holiday')}</span>
          <span className="guotu-legend guotu-day-makeupWorkday">{t('dayReason.makeupWorkday')}</span>
          <span className="guotu-legend guotu-day-weekend">{t('dayReason.weekend')}</span>
          <span className="guotu-legend guotu-day-regionalRestDay">{t('dayReason.regionalRestDay')}</span>
        </Space>
      </Card>
      <Spin spinning={detail.loading}>
        <div className="guotu-year-grid" data-testid="calendar-grid" data-year={shown?.year}>
          {shown && months.map((month) => <MonthGrid key={month} month={month} days={byMonth.get(month) ?? []} />)}
        </div>
      </Spin>
      {canManage && (
        <ImportNoticeModal
          open={importing}
          defaultYear={(covered.at(-1)?.year ?? thisYear) + 1}
          onClose={() => setImporting(false)}
          onImported={(imported) => {
            setImporting(false);
            setPicked(imported);
            years.reload();
            detail.reload();
          }}
        />
      )}
    </Space>
  );
}
