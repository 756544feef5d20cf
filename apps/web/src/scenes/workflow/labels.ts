import type { MessageKey, Translate } from '../../i18n/types.ts';

// The server's status strings are open-ended (types.ts says `string`): known ones get a
// translation, anything new shows a neutral "other" label rather than a raw code.
const taskStatuses = ['open', 'completed', 'cancelled'] as const;
const instanceStatuses = ['running', 'suspended', 'completed', 'terminated', 'failed'] as const;
const historyTypes = [
  'instance.started',
  'instance.completed',
  'instance.terminated',
  'instance.suspended',
  'instance.resumed',
  'instance.failed',
  'instance.jumped',
  'task.created',
  'task.completed',
  'task.updated',
  'task.cancelled',
  'task.returned',
  'task.withdrawn',
  'task.urged',
  'circulation.read',
] as const;

export type HistoryType = (typeof historyTypes)[number];

export function taskStatusKey(status: string): MessageKey {
  return (taskStatuses as readonly string[]).includes(status)
    ? (`taskStatus.${status as (typeof taskStatuses)[number]}` as const)
    : 'common.other';
}

export function instanceStatusKey(status: string): MessageKey {
  return (instanceStatuses as readonly string[]).includes(status)
    ? (`instanceStatus.${status as (typeof instanceStatuses)[number]}` as const)
    : 'common.other';
}

/** undefined for an event type this UI does not know yet (the caller shows the raw type). */
export function historyTypeKey(type: string): MessageKey | undefined {
  return (historyTypes as readonly string[]).includes(type) ? (`history.${type as HistoryType}` as const) : undefined;
}

/** The decisions the task page offers are translated; any other decision string is shown as sent. */
export function decisionText(decision: string, t: Translate): string {
  return decision === 'approve' || decision === 'reject' ? t(`decision.${decision}`) : decision;
}
