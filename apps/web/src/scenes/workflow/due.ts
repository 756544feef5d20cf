import type { TaskClockState, TaskListItem } from '../../api/workflow.ts';
import type { MessageKey } from '../../i18n/types.ts';

/**
 * The inbox's view of a task's step clock. The state is the server's (`clockState`, from the
 * stored clock); the browser only filters and orders by it — it never guesses a state itself.
 */

/** Due soon or overdue: what "只看临期/超期" keeps. */
export function needsAttention(task: Pick<TaskListItem, 'clockState'>): boolean {
  return task.clockState === 'dueSoon' || task.clockState === 'overdue';
}

/** Earliest due first; tasks without a due instant (no limit, or paused) last; then by id. */
export function compareDue(a: Pick<TaskListItem, 'dueAt' | 'id'>, b: Pick<TaskListItem, 'dueAt' | 'id'>): number {
  const da = a.dueAt === null ? Number.POSITIVE_INFINITY : Date.parse(a.dueAt);
  const db = b.dueAt === null ? Number.POSITIVE_INFINITY : Date.parse(b.dueAt);
  if (da !== db) return da < db ? -1 : 1;
  return a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The tag for a state worth a tag (normal and none get none): label key and antd colour. */
export function clockTag(state: TaskClockState | null): { key: MessageKey; color: string } | undefined {
  switch (state) {
    case 'dueSoon':
      return { key: 'tasks.clock.dueSoon', color: 'gold' };
    case 'overdue':
      return { key: 'tasks.clock.overdue', color: 'red' };
    case 'paused':
      return { key: 'tasks.clock.paused', color: 'default' };
    case 'normal':
    case null:
      return undefined;
  }
}

/** The list as the inbox shows it: optionally only the due-soon/overdue ones, then most urgent first. */
export function attentionList<T extends Pick<TaskListItem, 'clockState' | 'dueAt' | 'id'>>(
  items: readonly T[],
  attentionOnly: boolean,
): T[] {
  return attentionOnly ? items.filter(needsAttention).sort(compareDue) : [...items];
}
