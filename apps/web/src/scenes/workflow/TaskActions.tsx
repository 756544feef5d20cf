import { Card, Space, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import type { TaskDetail, TaskOperation } from '../../api/workflow.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { DecisionPicker, OperationButtons, OpinionBox } from './TaskOperationControls.tsx';
import { useTaskOperations } from './useTaskOperations.ts';

/** After these the task is no longer the caller's to work: back to the inbox. */
const leaves = new Set<TaskOperation>(['complete', 'return', 'transfer', 'delegate', 'resolve']);

/**
 * The opinion box and one button per operation the server lists in `task.operations` — the UI
 * never decides what the caller may do; an operation not listed has no button.
 */
export function TaskActions({ task, onDone }: { task: TaskDetail; onDone: () => void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const ops = useTaskOperations({
    taskId: task.id,
    listed: task.operations,
    decide: true,
    onDone: (operation) => {
      if (leaves.has(operation)) void navigate('/console/workbench');
      else onDone();
    },
  });
  const { operations } = ops;

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
          {canComplete && <DecisionPicker ops={ops} />}
          <OpinionBox ops={ops} rows={4} showCount placeholder={t('tasks.opinionPlaceholder')} />
        </Space>
      )}
      <OperationButtons ops={ops} returnTargets={task.returnTargets} />
    </Card>
  );
}
