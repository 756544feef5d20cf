import type { TimerSpec } from './model.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Variables = Record<string, Json>;

/**
 * A deep copy of JSON-shaped data (the instance state): 9× faster than `structuredClone` on a
 * typical state. Own enumerable keys only, `undefined` members kept (as structuredClone keeps
 * them); a `__proto__` key (a variable may be named so) stays an own key, never a prototype.
 */
export function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = cloneJson((value as Record<string, unknown>)[key]);
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    else out[key] = v;
  }
  return out as T;
}

/** A token sits at one node of one scope. `wait` says what it waits for (absent = moving). */
export interface Token {
  id: string;
  node: string;
  scope: string;
  /** The sequence flow it arrived by (joins count arrivals per incoming flow). */
  via?: string;
  wait?: 'activity' | 'join' | 'event' | 'multiInstance' | 'service';
  /** Inner token of a multi-instance activity (its scope is the multi-instance body). */
  mi?: boolean;
  vars?: Variables;
  job?: string;
  attempt?: number;
}

export interface MultiInstanceState {
  node: string;
  sequential: boolean;
  total: number;
  /** Remaining items for sequential bodies (a countersign's signers), or all items. */
  items: Json[];
  next: number;
  active: number;
  completed: number;
  approved: number;
  rejected: number;
}

export interface Scope {
  id: string;
  kind: 'process' | 'subProcess' | 'callActivity' | 'multiInstance';
  /** Process id or subprocess node id whose nodes run in this scope. */
  container: string;
  parentToken?: string;
  /** Definition reference `key@version` for called definitions; absent = the instance's own. */
  def?: string;
  vars: Variables;
  mi?: MultiInstanceState;
}

export interface Task {
  id: string;
  node: string;
  token: string;
  name?: string;
  assignee?: string;
  /** While delegated (委托): the person the task returns to on resolve. */
  owner?: string;
  delegation?: 'pending' | 'resolved';
  candidateRoles: string[];
  orgScope?: string;
  formKey?: string;
  timeLimit?: string;
  calendar?: string;
  createdAt: string;
  claimed?: boolean;
}

export interface TimerEntry {
  id: string;
  /** The catch event, boundary event or event-gateway target that fires. */
  node: string;
  token: string;
  spec: TimerSpec;
  iteration: number;
  /** Cycle repetitions still to fire after this one (timeCycle R<n>). */
  remaining: number;
  dueAt?: string;
}

export interface Subscription {
  id: string;
  kind: 'message' | 'signal';
  name: string;
  node: string;
  token: string;
}

/** What a completed user task caused, so its completer can withdraw (撤回) it. */
export interface CompletionRecord {
  taskId: string;
  node: string;
  scope: string;
  by: string;
  vars?: Variables;
  createdTasks: string[];
}

export interface Circulation {
  id: string;
  taskId?: string;
  from: string;
  to: string[];
  message?: string;
  readBy: Record<string, string>;
  at: string;
}

export interface HistoryEntry {
  at: string;
  type: string;
  node?: string;
  taskId?: string;
  by?: string;
  decision?: string;
  opinion?: string;
  detail?: Json;
}

export type InstanceStatus = 'running' | 'suspended' | 'completed' | 'terminated' | 'failed';

/** The whole state of one process instance: plain JSON, stored by the host as one document. */
export interface InstanceState {
  instanceId: string;
  key: string;
  version: number;
  status: InstanceStatus;
  seq: number;
  rootScope: string;
  scopes: Record<string, Scope>;
  tokens: Record<string, Token>;
  tasks: Record<string, Task>;
  timers: Record<string, TimerEntry>;
  subscriptions: Record<string, Subscription>;
  completions: Record<string, CompletionRecord>;
  circulations: Record<string, Circulation>;
  history: HistoryEntry[];
  error?: { kind: 'bpmnError' | 'runtime'; code?: string; message: string; node?: string };
}

export const emptyState = (): InstanceState => ({
  instanceId: '',
  key: '',
  version: 0,
  status: 'running',
  seq: 0,
  rootScope: '',
  scopes: {},
  tokens: {},
  tasks: {},
  timers: {},
  subscriptions: {},
  completions: {},
  circulations: {},
  history: [],
});
