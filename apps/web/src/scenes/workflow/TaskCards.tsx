import { List, Space, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { TaskListItem, TaskView } from '../../api/workflow.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { formatInstant } from '../../lib/dates.ts';
import { decisionText } from './labels.ts';
import { TaskDue } from './TaskClockTag.tsx';

/** The task list on a phone: one compact entry per task, the due time always in view. */
export function TaskCards({ view, items, loading }: { view: TaskView; items: TaskListItem[]; loading: boolean }) {
  const { t, locale } = useI18n();
  return (
    <List<TaskListItem>
      loading={loading}
      dataSource={items}
      locale={{ emptyText: t(`tasks.empty.${view}`) }}
      data-testid={`tasks-${view}`}
      renderItem={(task) => (
        <List.Item key={task.id} data-testid="task-row">
          <Space direction="vertical" size={2} style={{ width: '100%' }}>
            <Link to={`/console/tasks/${task.id}`} data-testid="task-link">
              <Typography.Text strong>{task.name ?? task.node}</Typography.Text>
            </Link>
            <Typography.Text type="secondary">{task.businessKey ?? task.definitionKey}</Typography.Text>
            <Space wrap size={8}>
              {view === 'done' ? (
                <Typography.Text type="secondary">
                  {formatInstant(task.completedAt, locale)}
                  {task.decision && ` · ${decisionText(task.decision, t)}`}
                </Typography.Text>
              ) : (
                <>
                  <Typography.Text type="secondary">{t('tasks.dueAt')}</Typography.Text>
                  <TaskDue task={task} />
                </>
              )}
            </Space>
          </Space>
        </List.Item>
      )}
    />
  );
}
