import { Tag } from 'antd';
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

export function ClockStateTag({ state }: { state: ClockState }) {
  const { t } = useI18n();
  return (
    <Tag color={clockStateColor[state]} data-testid="clock-state" data-state={state}>
      {t(`clockState.${state}`)}
    </Tag>
  );
}
