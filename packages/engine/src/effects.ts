import type { TimerSpec } from './model.ts';
import type { HistoryEntry, Task, Variables } from './state.ts';

/** What the host must do after a step, in the same transaction as storing the new state. */
export type Effect =
  | { readonly type: 'task.created'; readonly task: Task }
  | { readonly type: 'task.updated'; readonly task: Task }
  | { readonly type: 'task.completed'; readonly taskId: string; readonly by: string; readonly decision?: string }
  | { readonly type: 'task.cancelled'; readonly taskId: string; readonly reason: string }
  | {
      readonly type: 'timer.schedule';
      readonly timerId: string;
      readonly spec: TimerSpec;
      readonly iteration: number;
      readonly dueAt?: string;
    }
  | { readonly type: 'timer.cancel'; readonly timerId: string }
  | {
      readonly type: 'service.invoke';
      readonly jobId: string;
      readonly handler: string;
      readonly node: string;
      readonly attempt: number;
      readonly variables: Variables;
    }
  | { readonly type: 'message.send'; readonly name: string; readonly node: string }
  | { readonly type: 'signal.thrown'; readonly name: string }
  | {
      readonly type: 'notify';
      readonly kind: 'urge' | 'cc';
      readonly to: readonly string[];
      readonly taskId?: string;
      readonly circulationId?: string;
      readonly message?: string;
    }
  | { readonly type: 'instance.completed' }
  | { readonly type: 'instance.terminated'; readonly reason: string }
  | { readonly type: 'instance.failed'; readonly errorCode?: string; readonly message: string }
  | { readonly type: 'instance.suspended' }
  | { readonly type: 'instance.resumed' }
  | { readonly type: 'history'; readonly entry: HistoryEntry };
