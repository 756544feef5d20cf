import { Tag, Tooltip } from 'antd';
import type { ClockState } from '@guotu/domain';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { formatInstant } from '../lib/dates.ts';
import { clockStateColor } from './ClockStateTag.tsx';

/**
 * A task's due time, coloured by its clock state. The state is the server's (`clockState`);
 * until the task list sends it, the only thing shown is the plain fact "this open task is past
 * its due time" (red) — no due-soon guess is made in the browser.
 */
export function DueDate({
  dueAt,
  open,
  clockState,
}: {
  dueAt: string | null;
  open: boolean;
  clockState?: ClockState | undefined;
}) {
  const { t, locale } = useI18n();
  if (!dueAt) return <span>—</span>;
  const state: ClockState | undefined = clockState ?? (open && Date.parse(dueAt) < Date.now() ? 'overdue' : undefined);
  const text = formatInstant(dueAt, locale);
  if (!state || state === 'running') return <span data-testid="due-date">{text}</span>;
  return (
    <Tooltip title={t(`clockState.${state}`)}>
      <Tag color={clockStateColor[state]} data-testid="due-date" data-state={state}>
        {text}
      </Tag>
    </Tooltip>
  );
}
