import { useState } from 'react';
import { App, Button, Card, Input, Popconfirm, Radio, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { isRoleKey } from '@guotu/domain';
import {
  operateTask,
  taskOperations,
  taskPath,
  type TaskDetail,
  type TaskOperation,
  type TaskOperationRequest,
} from '../../api/workflow.ts';
import type { CaseTaskView } from '../../api/cases.ts';
import { DueDate } from '../../components/DueDate.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useQuery } from '../../hooks/useQuery.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { errorText } from '../../lib/error-text.ts';
import { OperationModal, type OperationInput } from '../workflow/OperationModal.tsx';

const needsInput: Partial<Record<TaskOperation, OperationInput>> = {
  return: 'target',
  transfer: 'user',
  delegate: 'user',
  addSigner: 'user',
  removeSigner: 'user',
  circulate: 'recipients',
};
const confirmed = new Set<TaskOperation>(['withdraw', 'unclaim']);
const decisions = ['approve', 'reject'] as const;
type Decision = (typeof decisions)[number];
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
  const { message } = App.useApp();
  const detail = useQuery<TaskDetail>(taskPath(task.id));
  const [opinion, setOpinion] = useState('');
  const [decision, setDecision] = useState<Decision>('approve');
  const [busy, setBusy] = useState<TaskOperation | undefined>(undefined);
  const [asking, setAsking] = useState<TaskOperation | undefined>(undefined);
  const data = detail.data;
  const operations = data ? taskOperations.filter((op) => data.operations.includes(op)) : [];
  const deciding = task.node === decidingNode;
  // a task of another office or tier: the server does not show it to the caller, nothing to do here
  const notYours = detail.error?.status === 403 || detail.error?.status === 404;

  async function run(operation: TaskOperation, extra: TaskOperationRequest = {}) {
    setBusy(operation);
    try {
      const body: TaskOperationRequest = { ...extra };
      if (operation === 'complete' && deciding) body.decision = decision;
      if ((operation === 'complete' || operation === 'return') && opinion.trim()) body.opinion = opinion.trim();
      await operateTask(task.id, operation, body);
      void message.success(t('tasks.operationDone', { operation: t(`taskOperation.${operation}`) }));
      setAsking(undefined);
      setOpinion('');
      detail.reload();
      onDone();
    } catch (error) {
      void message.error(errorText(error, t));
    } finally {
      setBusy(undefined);
    }
  }

  const size = large ? ('large' as const) : ('middle' as const);
  const block = large;
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
            {deciding && operations.includes('complete') && (
              <Radio.Group
                value={decision}
                onChange={(e) => setDecision(e.target.value as Decision)}
                optionType="button"
                buttonStyle="solid"
                size={size}
                style={large ? { display: 'flex' } : undefined}
                data-testid="task-decision"
              >
                {decisions.map((value) => (
                  <Radio.Button
                    key={value}
                    value={value}
                    style={large ? { flex: 1, textAlign: 'center', height: 48, lineHeight: '46px' } : undefined}
                    data-testid={`decision-${value}`}
                  >
                    {t(`decision.${value}`)}
                  </Radio.Button>
                ))}
              </Radio.Group>
            )}
            <Input.TextArea
              value={opinion}
              onChange={(e) => setOpinion(e.target.value)}
              rows={large ? 4 : 3}
              maxLength={4000}
              placeholder={
                deciding && decision === 'reject' ? t('cases.task.rejectNeedsOpinion') : t('tasks.opinionPlaceholder')
              }
              aria-label={t('tasks.opinion')}
              style={large ? { fontSize: 16 } : undefined}
              data-testid="task-opinion"
            />
          </>
        )}
        <Space wrap style={large ? { width: '100%' } : undefined} direction={large ? 'vertical' : 'horizontal'}>
          {operations.map((operation) => {
            const label =
              operation === 'complete' && !deciding
                ? t(
                    `cases.task.complete.${task.node === 'countyReview' ? 'submitUp' : task.node === 'cityReview' ? 'forward' : 'done'}`,
                  )
                : t(`taskOperation.${operation}`);
            const props = {
              type: operation === 'complete' ? ('primary' as const) : ('default' as const),
              size,
              block,
              style: large ? { height: 52, fontSize: 17 } : undefined,
              loading: busy === operation,
              disabled: busy !== undefined && busy !== operation,
              'data-testid': `op-${operation}`,
            };
            if (needsInput[operation])
              return (
                <Button key={operation} {...props} onClick={() => setAsking(operation)}>
                  {label}
                </Button>
              );
            if (confirmed.has(operation))
              return (
                <Popconfirm
                  key={operation}
                  title={t('tasks.confirmOperation', { operation: label })}
                  okText={t('common.ok')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => void run(operation)}
                >
                  <Button {...props}>{label}</Button>
                </Popconfirm>
              );
            return (
              <Button key={operation} {...props} onClick={() => void run(operation)}>
                {label}
              </Button>
            );
          })}
        </Space>
      </Space>
      {asking && needsInput[asking] && data && (
        <OperationModal
          operation={asking}
          input={needsInput[asking]}
          returnTargets={data.returnTargets}
          busy={busy === asking}
          onCancel={() => setAsking(undefined)}
          onSubmit={(extra) => void run(asking, extra)}
        />
      )}
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
