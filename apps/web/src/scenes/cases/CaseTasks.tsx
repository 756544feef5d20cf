import { Card, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { isRoleKey } from '@guotu/domain';
import { taskPath, type TaskDetail, type TaskOperation } from '../../api/workflow.ts';
import type { CaseTaskView } from '../../api/cases.ts';
import { DueDate } from '../../components/DueDate.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useQuery } from '../../hooks/useQuery.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { DecisionPicker, OperationButtons, OpinionBox } from '../workflow/TaskOperationControls.tsx';
import { useTaskOperations } from '../workflow/useTaskOperations.ts';

/** The step whose completion decides the case (docs/cases.md § review): the leader's approve. */
const decidingNode = 'approve';

/**
 * One open task of the case with exactly the operations the server lists for the caller
 * (GET /workflow/tasks/{id}), the opinion box and, on the leader's `approve` step, 同意/不同意.
 * Unlike the task page it stays on the case: the case reloads after each operation.
 */
export function CaseTaskCard({
  task,
  onDone,
  large = false,
}: {
  task: CaseTaskView;
  onDone: () => void;
  /** the phone sign-off: full-width buttons, big touch targets */
  large?: boolean;
}) {
  const { t } = useI18n();
  const detail = useQuery<TaskDetail>(taskPath(task.id));
  const data = detail.data;
  const deciding = task.node === decidingNode;
  const ops = useTaskOperations({
    taskId: task.id,
    listed: data?.operations ?? [],
    decide: deciding,
    clearOpinion: true,
    onDone: () => {
      detail.reload();
      onDone();
    },
  });
  const { operations } = ops;
  // a task of another office or tier: the server does not show it to the caller, nothing to do here
  const notYours = detail.error?.status === 403 || detail.error?.status === 404;
  const completeLabel = t(
    `cases.task.complete.${task.node === 'countyReview' ? 'submitUp' : task.node === 'cityReview' ? 'forward' : 'done'}`,
  );
  const labelOf = (operation: TaskOperation) =>
    operation === 'complete' && !deciding ? completeLabel : t(`taskOperation.${operation}`);

  return (
    <Card
      size="small"
      title={
        <Space wrap>
          <span>{task.name ?? task.node}</span>
          {task.orgName && <Tag>{task.orgName}</Tag>}
        </Space>
      }
      extra={!large && <Link to={`/console/tasks/${encodeURIComponent(task.id)}`}>{t('cases.task.open')}</Link>}
      data-testid="case-task"
      data-node={task.node}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          {t('tasks.assignee')}:{' '}
          {task.assignee ?? task.candidateRoles.map((r) => (isRoleKey(r) ? t(`role.${r}`) : r)).join('、')} ·{' '}
          {t('tasks.dueAt')}: <DueDate dueAt={task.dueAt} open />
        </Typography.Text>
        {detail.error && !notYours && <ErrorAlert error={detail.error} onRetry={detail.reload} />}
        {((data && operations.length === 0) || notYours) && (
          <Typography.Text type="secondary" data-testid="no-operations">
            {t('tasks.noOperations')}
          </Typography.Text>
        )}
        {(operations.includes('complete') || operations.includes('return')) && (
          <>
            {deciding && operations.includes('complete') && <DecisionPicker ops={ops} solid large={large} />}
            <OpinionBox
              ops={ops}
              rows={large ? 4 : 3}
              placeholder={
                deciding && ops.decision === 'reject'
                  ? t('cases.task.rejectNeedsOpinion')
                  : t('tasks.opinionPlaceholder')
              }
              large={large}
            />
          </>
        )}
        <OperationButtons ops={ops} returnTargets={data?.returnTargets ?? []} labelOf={labelOf} large={large} />
      </Space>
    </Card>
  );
}

export function CaseTasks({ tasks, onDone, large }: { tasks: CaseTaskView[]; onDone: () => void; large?: boolean }) {
  const { t } = useI18n();
  if (tasks.length === 0) return null;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="case-tasks">
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('cases.task.title')}
      </Typography.Title>
      {tasks.map((task) => (
        <CaseTaskCard key={task.id} task={task} onDone={onDone} large={large} />
      ))}
    </Space>
  );
}
