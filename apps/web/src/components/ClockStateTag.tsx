import { Tag } from 'antd';
import type { CaseClockState } from '@guotu/contracts';
import type { ClockState } from '@guotu/domain';
import { useI18n } from '../i18n/I18nProvider.tsx';

/** GLOSSARY: 预警/黄牌 = dueSoon, 超时/红牌 = overdue. The state is the server's evaluation. */
export const clockStateColor: Record<ClockState, string> = {
  running: 'green',
  paused: 'blue',
  dueSoon: 'gold',
  overdue: 'red',
  stopped: 'default',
};

/** A case's clock state in the case API's words, as the clock state of this tag (normal = running, warning = due soon). */
export const caseClockToClock: Record<CaseClockState, ClockState> = {
  normal: 'running',
  warning: 'dueSoon',
  overdue: 'overdue',
  paused: 'paused',
  stopped: 'stopped',
};

export function ClockStateTag({ state }: { state: ClockState }) {
  const { t } = useI18n();
  return (
    <Tag color={clockStateColor[state]} data-testid="clock-state" data-state={state}>
      {t(`clockState.${state}`)}
    </Tag>
  );
}
