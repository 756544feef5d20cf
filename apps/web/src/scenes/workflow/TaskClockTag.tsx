import { Space, Tag } from 'antd';
import type { TaskClockState, TaskListItem } from '../../api/workflow.ts';
import { DueDate } from '../../components/DueDate.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { clockTag } from './due.ts';

/** 临近到期 (yellow) / 已超期 (red) / 已暂停 — nothing for a normal clock or a step without a limit. */
export function TaskClockTag({ state }: { state: TaskClockState | null }) {
  const { t } = useI18n();
  const tag = clockTag(state);
  if (!tag) return null;
  return (
    <Tag color={tag.color} data-testid="task-clock" data-state={state}>
      {t(tag.key)}
    </Tag>
  );
}

/**
 * The due time and, when the server says so, the clock's tag. The tag carries the state, so the
 * date itself stays plain; a task without `clockState` falls back to DueDate's past-due mark.
 */
export function TaskDue({ task }: { task: Pick<TaskListItem, 'dueAt' | 'status' | 'clockState'> }) {
  return (
    <Space size={4} wrap>
      <DueDate
        dueAt={task.dueAt}
        open={task.status === 'open'}
        clockState={task.clockState === null ? undefined : 'running'}
      />
      <TaskClockTag state={task.clockState} />
    </Space>
  );
}
