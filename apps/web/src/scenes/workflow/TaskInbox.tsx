import { useState, type HTMLAttributes } from 'react';
import { Button, Checkbox, Grid, Table, Tabs, Tag, type TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import { tasksPath, type TaskListItem, type TaskView } from '../../api/workflow.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useQuery } from '../../hooks/useQuery.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { formatInstant } from '../../lib/dates.ts';
import { attentionList, compareDue } from './due.ts';
import { decisionText, taskStatusKey } from './labels.ts';
import { TaskCards } from './TaskCards.tsx';
import { TaskDue } from './TaskClockTag.tsx';

const views: TaskView[] = ['todo', 'done', 'org'];

/**
 * 待办 / 已办 / 本单位在办: GET /workflow/tasks?view=…, each row opening the task page, with the
 * step clock's state as a tag (临近到期 / 已超期 / 已暂停), sortable by due time and filterable
 * to the due-soon and overdue ones (over the first 200 tasks of the view, the API's page limit).
 */
export function TaskInbox() {
  const { t, locale } = useI18n();
  const [view, setView] = useState<TaskView>('todo');
  const [attentionOnly, setAttentionOnly] = useState(false);
  const tasks = useQuery<{ items: TaskListItem[] }>(tasksPath(view, 200));
  const items = attentionList(tasks.data?.items ?? [], attentionOnly);
  // below md (phones) a compact list: a seven-column table would hide the due time off-screen
  const phone = Grid.useBreakpoint().md === false;

  const columns: TableColumnsType<TaskListItem> = [
    {
      title: t('tasks.name'),
      key: 'name',
      render: (_value, task) => (
        <Link to={`/console/tasks/${task.id}`} data-testid="task-link">
          {task.name ?? task.node}
        </Link>
      ),
    },
    {
      title: t('tasks.businessKey'),
      dataIndex: 'businessKey',
      key: 'businessKey',
      render: (v: string | null) => v ?? '—',
    },
    { title: t('tasks.process'), dataIndex: 'definitionKey', key: 'definitionKey' },
    {
      title: view === 'done' ? t('tasks.completedAt') : t('tasks.createdAt'),
      key: 'at',
      render: (_value, task) => formatInstant(view === 'done' ? task.completedAt : task.createdAt, locale),
    },
    {
      title: t('tasks.dueAt'),
      key: 'dueAt',
      sorter: compareDue,
      render: (_value, task) => <TaskDue task={task} />,
    },
    {
      title: view === 'done' ? t('tasks.decision') : t('tasks.assignee'),
      key: 'who',
      render: (_value, task) =>
        view === 'done'
          ? task.decision
            ? decisionText(task.decision, t)
            : '—'
          : (task.assignee ?? <Tag>{t('tasks.unclaimed')}</Tag>),
    },
    {
      title: t('tasks.status'),
      key: 'status',
      render: (_value, task) => <Tag>{t(taskStatusKey(task.status))}</Tag>,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_value, task) => (
        <Link to={`/console/tasks/${task.id}`}>
          <Button size="small" type={view === 'todo' ? 'primary' : 'default'}>
            {view === 'todo' ? t('tasks.handle') : t('tasks.view')}
          </Button>
        </Link>
      ),
    },
  ];

  return (
    <>
      <Tabs
        activeKey={view}
        onChange={(key) => setView(key as TaskView)}
        items={views.map((key) => ({ key, label: t(`tasks.view.${key}`) }))}
        data-testid="task-tabs"
      />
      <Checkbox
        checked={attentionOnly}
        onChange={(event) => setAttentionOnly(event.target.checked)}
        style={{ marginBottom: 12 }}
        data-testid="tasks-attention-only"
      >
        {t('tasks.attentionOnly')}
      </Checkbox>
      {tasks.error && <ErrorAlert error={tasks.error} onRetry={tasks.reload} />}
      {phone ? (
        <TaskCards view={view} items={items} loading={tasks.loading} />
      ) : (
        <Table<TaskListItem>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={items}
          loading={tasks.loading}
          scroll={{ x: 'max-content' }}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t(`tasks.empty.${view}`) }}
          onRow={() => ({ 'data-testid': 'task-row' }) as HTMLAttributes<HTMLTableRowElement>}
          data-testid={`tasks-${view}`}
        />
      )}
    </>
  );
}
