import { useState } from 'react';
import { App } from 'antd';
import { operateTask, taskOperations, type TaskOperation, type TaskOperationRequest } from '../../api/workflow.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { errorText } from '../../lib/error-text.ts';
import type { OperationInput } from './OperationModal.tsx';

/** Operations that need more than the opinion box: a return target, a person, recipients. */
export const needsInput: Partial<Record<TaskOperation, OperationInput>> = {
  return: 'target',
  transfer: 'user',
  delegate: 'user',
  addSigner: 'user',
  removeSigner: 'user',
  circulate: 'recipients',
};
/** Asked twice: they undo or hand away work. */
export const confirmed = new Set<TaskOperation>(['withdraw', 'unclaim']);
export const decisions = ['approve', 'reject'] as const;
export type Decision = (typeof decisions)[number];

export interface TaskOperationsOptions {
  taskId: string;
  /** what the server lists in `task.operations` for the caller (none while it is loading) */
  listed: readonly TaskOperation[];
  /** send the 同意/不同意 choice with `complete` */
  decide: boolean;
  /** empty the opinion box after a successful operation */
  clearOpinion?: boolean;
  /** after a successful operation (the success message is shown already) */
  onDone: (operation: TaskOperation) => void;
}

export interface TaskOperationsState {
  /** the listed operations in a stable order, complete first (the server's order may vary) */
  operations: TaskOperation[];
  opinion: string;
  setOpinion: (opinion: string) => void;
  decision: Decision;
  setDecision: (decision: Decision) => void;
  /** the operation running now */
  busy: TaskOperation | undefined;
  /** the operation whose modal is open (see `needsInput`) */
  asking: TaskOperation | undefined;
  setAsking: (operation: TaskOperation | undefined) => void;
  run: (operation: TaskOperation, extra?: TaskOperationRequest) => Promise<void>;
}

/**
 * The state of one task's operations — opinion, decision, the running operation, the open
 * modal — and `run`, which sends the opinion with complete and return. Shared by the task page
 * and the case page; they differ only in what happens afterwards and in how they look.
 */
export function useTaskOperations(options: TaskOperationsOptions): TaskOperationsState {
  const { taskId, listed, decide, clearOpinion = false, onDone } = options;
  const { t } = useI18n();
  const { message } = App.useApp();
  const [opinion, setOpinion] = useState('');
  const [decision, setDecision] = useState<Decision>('approve');
  const [busy, setBusy] = useState<TaskOperation | undefined>(undefined);
  const [asking, setAsking] = useState<TaskOperation | undefined>(undefined);
  const operations = taskOperations.filter((op) => listed.includes(op));

  async function run(operation: TaskOperation, extra: TaskOperationRequest = {}) {
    setBusy(operation);
    try {
      const body: TaskOperationRequest = { ...extra };
      if (operation === 'complete' && decide) body.decision = decision;
      if ((operation === 'complete' || operation === 'return') && opinion.trim()) body.opinion = opinion.trim();
      await operateTask(taskId, operation, body);
      void message.success(t('tasks.operationDone', { operation: t(`taskOperation.${operation}`) }));
      setAsking(undefined);
      if (clearOpinion) setOpinion('');
      onDone(operation);
    } catch (error) {
      void message.error(errorText(error, t));
    } finally {
      setBusy(undefined);
    }
  }

  return { operations, opinion, setOpinion, decision, setDecision, busy, asking, setAsking, run };
}
