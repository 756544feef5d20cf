import { Tag } from 'antd';
import type { CaseClockState, CaseStatus } from '@guotu/contracts';
import { caseClockToClock, ClockStateTag } from '../../../components/ClockStateTag.tsx';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import type { MessageKey } from '../../../i18n/types.ts';

export const statusColor: Record<CaseStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  supplementRequested: 'orange',
  inReview: 'blue',
  refused: 'red',
  decided: 'cyan',
  issued: 'green',
  archived: 'default',
  withdrawn: 'default',
};

export function CaseStatusTag({ status }: { status: CaseStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={statusColor[status]} data-testid="case-status" data-status={status}>
      {t(`pc.status.${status}`)}
    </Tag>
  );
}

export function CaseClockTag({ state }: { state: CaseClockState }) {
  return <ClockStateTag state={caseClockToClock[state]} />;
}

const purposeKeys: Record<string, MessageKey> = {
  acceptance: 'pc.clock.acceptance',
  statutory: 'pc.clock.statutory',
  promised: 'pc.clock.promised',
  expedite: 'pc.clock.expedite',
  delivery: 'pc.clock.delivery',
};

/** `tier:county:2` → 县级审查时限（第 2 次） */
export function clockPurposeText(
  purpose: string,
  t: (key: MessageKey, params?: Record<string, string | number>) => string,
) {
  const key = purposeKeys[purpose];
  if (key) return t(key);
  const tier = /^tier:(county|city|province)(?::(\d+))?$/.exec(purpose);
  if (tier) {
    const name = t(`pc.tier.${tier[1] as 'county' | 'city' | 'province'}`);
    return tier[2] ? t('pc.clock.tierRound', { tier: name, n: tier[2] }) : t('pc.clock.tier', { tier: name });
  }
  return purpose;
}

const eventKeys: Record<string, MessageKey> = {
  created: 'pc.event.created',
  submitted: 'pc.event.submitted',
  supplementRequested: 'pc.event.supplementRequested',
  resubmitted: 'pc.event.resubmitted',
  accepted: 'pc.event.accepted',
  acceptedByDefault: 'pc.event.acceptedByDefault',
  refused: 'pc.event.refused',
  stepStarted: 'pc.event.stepStarted',
  stepCompleted: 'pc.event.stepCompleted',
  submittedUp: 'pc.event.submittedUp',
  forwarded: 'pc.event.forwarded',
  returned: 'pc.event.returned',
  decided: 'pc.event.decided',
  issued: 'pc.event.issued',
  archived: 'pc.event.archived',
  expedited: 'pc.event.expedited',
  withdrawn: 'pc.event.withdrawn',
};

/** The event's name; an event type the portal does not know yet is shown as the server sent it. */
export function eventText(type: string, t: (key: MessageKey) => string): string {
  const key = eventKeys[type];
  return key ? t(key) : type;
}
