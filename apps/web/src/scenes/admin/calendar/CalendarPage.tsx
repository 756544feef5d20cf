import { Tabs, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useCan } from '../../../hooks/useSession.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { ClockCalculator } from './ClockCalculator.tsx';
import { TimeLimitRules } from './TimeLimitRules.tsx';
import { YearCalendar } from './YearCalendar.tsx';
import './calendar.css';

const tabs = ['calendar', 'rules', 'calculator'] as const;
type TabKey = (typeof tabs)[number];

/**
 * 工作日历: the working-day calendar (calendar.read to view, calendar.manage to import a
 * notice and edit rules), the time-limit rule table and the clock calculator. The tab is kept
 * in the URL (?tab=rules) so a link lands on it.
 */
export default function CalendarPage() {
  const { t } = useI18n();
  const can = useCan();
  const canManage = can('calendar.manage');
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const active: TabKey = tabs.find((tab) => tab === requested) ?? 'calendar';

  return (
    <>
      <div className="guotu-page-head">
        <Typography.Title level={3} data-testid="page-title">
          {t('calendar.title')}
        </Typography.Title>
      </div>
      <Tabs
        activeKey={active}
        onChange={(key) => setParams(key === 'calendar' ? {} : { tab: key }, { replace: true })}
        // a hidden pane's half-finished input transitions never settle in Chromium; panes are cheap
        destroyOnHidden
        items={[
          { key: 'calendar', label: t('calendar.tab'), children: <YearCalendar canManage={canManage} /> },
          { key: 'rules', label: t('rules.tab'), children: <TimeLimitRules canManage={canManage} /> },
          { key: 'calculator', label: t('calc.tab'), children: <ClockCalculator /> },
        ]}
        data-testid="calendar-tabs"
      />
    </>
  );
}
