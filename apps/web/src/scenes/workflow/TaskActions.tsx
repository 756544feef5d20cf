import { useState } from 'react';
import { App, Button, Card, Input, Popconfirm, Radio, Space, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import {
  operateTask,
  taskOperations,
  type TaskDetail,
  type TaskOperation,
  type TaskOperationRequest,
} from '../../api/workflow.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { errorText } from '../../lib/error-text.ts';
import { OperationModal, type OperationInput } from './OperationModal.tsx';

/** Operations that need more than the opinion box: a return target, a person, recipients. */
const needsInput: Partial<Record<TaskOperation, OperationInput>> = {
  return: 'target',
  transfer: 'user',
  delegate: 'user',
  addSigner: 'user',
  removeSigner: 'user',
  circulate: 'recipients',
};
/** After these the task is no longer the caller's to work: back to the inbox. */
const leaves = new Set<TaskOperation>(['complete', 'return', 'transfer', 'delegate', 'resolve']);
/** Asked twice: they undo or hand away work. */
const confirmed = new Set<TaskOperation>(['withdraw', 'unclaim']);
const decisions = ['approve', 'reject'] as const;

/**
 * The opinion box and one button per operation the server lists in `task.operations` — the UI
 * never decides what the caller may do; an operation not listed has no button.
 */
export function TaskActions({ task, onDone }: { task: TaskDetail; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [opinion, setOpinion] = useState('');
  const [decision, setDecision] = useState<(typeof decisions)[number]>('approve');
  const [busy, setBusy] = useState<TaskOperation | undefined>(undefined);
  const [asking, setAsking] = useState<TaskOperation | undefined>(undefined);
  // the server's order may vary; show them in a stable order, complete first
  const operations = taskOperations.filter((op) => task.operations.includes(op));

  async function run(operation: TaskOperation, extra: TaskOperationRequest = {}) {
    setBusy(operation);
    try {
      const body: TaskOperationRequest = { ...extra };
      if (operation === 'complete') body.decision = decision;
      if ((operation === 'complete' || operation === 'return') && opinion.trim()) body.opinion = opinion.trim();
      await operateTask(task.id, operation, body);
      void message.success(t('tasks.operationDone', { operation: t(`taskOperation.${operation}`) }));
      setAsking(undefined);
      if (leaves.has(operation)) void navigate('/console/workbench');
      else onDone();
    } catch (error) {
      void message.error(errorText(error, t));
    } finally {
      setBusy(undefined);
    }
  }

  if (operations.length === 0) {
    return (
      <Card title={t('tasks.actions')}>
        <Typography.Text type="secondary" data-testid="no-operations">
          {t('tasks.noOperations')}
        </Typography.Text>
      </Card>
    );
  }

  const canComplete = operations.includes('complete');
  return (
    <Card title={t('tasks.actions')} data-testid="task-actions">
      {(canComplete || operations.includes('return')) && (
        <Space direction="vertical" style={{ width: '100%', marginBottom: 16 }}>
          {canComplete && (
            <Radio.Group
              value={decision}
              onChange={(event) => setDecision(event.target.value as (typeof decisions)[number])}
              optionType="button"
              options={decisions.map((value) => ({ value, label: t(`decision.${value}`) }))}
              data-testid="task-decision"
            />
          )}
          <Input.TextArea
            value={opinion}
            onChange={(event) => setOpinion(event.target.value)}
            rows={4}
            maxLength={4000}
            showCount
            placeholder={t('tasks.opinionPlaceholder')}
            aria-label={t('tasks.opinion')}
            data-testid="task-opinion"
          />
        </Space>
      )}
      <Space wrap>
        {operations.map((operation) => {
          const label = t(`taskOperation.${operation}`);
          const props = {
            type: operation === 'complete' ? ('primary' as const) : ('default' as const),
            loading: busy === operation,
            disabled: busy !== undefined && busy !== operation,
            'data-testid': `op-${operation}`,
          };
          if (needsInput[operation]) {
            return (
              <Button key={operation} {...props} onClick={() => setAsking(operation)}>
                {label}
              </Button>
            );
          }
          if (confirmed.has(operation)) {
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
          }
          return (
            <Button key={operation} {...props} onClick={() => void run(operation)}>
              {label}
            </Button>
          );
        })}
      </Space>
      {asking && needsInput[asking] && (
        <OperationModal
          operation={asking}
          input={needsInput[asking]}
          returnTargets={task.returnTargets}
          busy={busy === asking}
          onCancel={() => setAsking(undefined)}
          onSubmit={(extra) => void run(asking, extra)}
        />
      )}
    </Card>
  );
}
