import { Tag, Tooltip } from 'antd';
import type { CaseClockState, CaseStatus, CaseSummary, CaseTier } from '../../api/cases.ts';
import { caseClockToClock, clockStateColor } from '../../components/ClockStateTag.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { MessageKey, Translate } from '../../i18n/types.ts';

export const statusColor: Record<CaseStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  supplementRequested: 'orange',
  inReview: 'blue',
  refused: 'red',
  decided: 'purple',
  issued: 'green',
  archived: 'default',
  withdrawn: 'default',
};

export function StatusTag({ status }: { status: CaseStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={statusColor[status]} data-testid="case-status" data-status={status}>
      {t(`caseStatus.${status}`)}
    </Tag>
  );
}

export function CaseClockTag({ state, dueDate }: { state: CaseClockState | null; dueDate?: string | null }) {
  const { t } = useI18n();
  if (!state) return <span>—</span>;
  const clock = caseClockToClock[state];
  const tag = (
    <Tag color={clockStateColor[clock]} data-testid="case-clock" data-state={state}>
      {dueDate ? `${t(`clockState.${clock}`)} · ${dueDate}` : t(`clockState.${clock}`)}
    </Tag>
  );
  return dueDate ? <Tooltip title={t('cases.dueDate')}>{tag}</Tooltip> : tag;
}

export function TierTag({ tier }: { tier: CaseTier | null }) {
  const { t } = useI18n();
  if (!tier) return null;
  return <Tag data-testid="case-tier">{t(`caseTier.${tier}`)}</Tag>;
}

export function ExpediteTag({ item }: { item: Pick<CaseSummary, 'expedite' | 'expediteTracker'> }) {
  const { t } = useI18n();
  if (!item.expedite) return null;
  return (
    <Tag color="magenta" data-testid="expedite-tag">
      {t('cases.expedite')}
      {item.expediteTracker ? ` · ${item.expediteTracker}` : ''}
    </Tag>
  );
}

const clockPurposes = ['acceptance', 'statutory', 'promised', 'expedite', 'delivery'] as const;

/** acceptance → 受理时限; tier:county:2 → 县级审查时限（第 2 轮）; anything new as sent. */
export function clockPurposeText(purpose: string, t: Translate): string {
  const [head, tier, round] = purpose.split(':');
  if (head === 'tier' && (tier === 'county' || tier === 'city' || tier === 'province')) {
    const text = t('cases.clock.tier', { tier: t(`caseTier.${tier}`) });
    return round ? `${text} ${t('cases.clock.round', { n: round })}` : text;
  }
  return (clockPurposes as readonly string[]).includes(purpose)
    ? t(`cases.clock.${purpose as (typeof clockPurposes)[number]}`)
    : purpose;
}

const eventTypes = [
  'created',
  'edited',
  'materialsAdded',
  'materialRemoved',
  'submitted',
  'supplementRequested',
  'resubmitted',
  'accepted',
  'acceptedByDefault',
  'refused',
  'stepStarted',
  'stepCompleted',
  'submittedUp',
  'forwarded',
  'returned',
  'decided',
  'issued',
  'archived',
  'expedited',
  'feeRecorded',
  'feeVoided',
  'withdrawn',
  'withdrawnStep',
  'processSuspended',
  'processResumed',
  'processTerminated',
  'processJumped',
] as const;

export function eventTypeKey(type: string): MessageKey | undefined {
  return (eventTypes as readonly string[]).includes(type)
    ? (`caseEvent.${type as (typeof eventTypes)[number]}` as const)
    : undefined;
}
