import type { ClockState } from '@guotu/domain';
import { api, withQuery } from './client.ts';

// The workflow API (apps/server/src/modules/workflow/types.ts and routes.ts). The server keeps
// these types in its module while it settles, and the web may import only @guotu/domain and
// @guotu/contracts, so they are mirrored here; move them to @guotu/contracts when they settle.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export const taskOperations = [
  'complete',
  'claim',
  'unclaim',
  'return',
  'withdraw',
  'transfer',
  'delegate',
  'resolve',
  'addSigner',
  'removeSigner',
  'urge',
  'circulate',
  'markRead',
] as const;
export type TaskOperation = (typeof taskOperations)[number];
export type InstanceOperation = 'suspend' | 'resume' | 'jump' | 'terminate';
export type TaskView = 'todo' | 'done' | 'org';

export interface DefinitionSummary {
  key: string;
  version: number;
  name: string | null;
  sha256: string;
  deployedAt: string;
  deployedBy: string | null;
}
export interface DeployDefinitionResponse extends DefinitionSummary {
  /** false when the XML equals the latest version's: nothing new was deployed */
  deployed: boolean;
  warnings: Array<{ path: string; message: string }>;
}
export interface DefinitionKeyList {
  items: Array<{ key: string; name: string | null; latestVersion: number; versions: DefinitionSummary[] }>;
}
export interface DefinitionDetail extends DefinitionSummary {
  xml: string;
}

export interface OpenTaskSummary {
  id: string;
  node: string;
  name: string | null;
  assignee: string | null;
  candidateRoles: string[];
  dueAt: string | null;
}
export interface CommandResponse {
  instanceId: string;
  status: string;
  version: number;
  tasks: OpenTaskSummary[];
}

export interface HistoryItem {
  id: string;
  at: string;
  type: string;
  node: string | null;
  taskKey: string | null;
  by: string | null;
  decision: string | null;
  opinion: string | null;
  detail: JsonValue;
  before: JsonValue;
  after: JsonValue;
}

export interface DiagramView {
  key: string;
  version: number;
  xml: string;
  activeNodeIds: string[];
  completedNodeIds: string[];
  takenFlowIds: string[];
}

export interface TaskListItem {
  id: string;
  instanceId: string;
  businessKey: string | null;
  definitionKey: string;
  node: string;
  name: string | null;
  assignee: string | null;
  candidateRoles: string[];
  status: string;
  createdAt: string;
  completedAt: string | null;
  dueAt: string | null;
  decision: string | null;
  /**
   * The step clock's state as the server evaluates it. Not sent yet (the list has only
   * dueAt); when it arrives the inbox colours by it instead of "past due or not".
   */
  clockState?: ClockState;
}

export interface TaskDetail extends TaskListItem {
  owner: string | null;
  delegation: string | null;
  orgId: number;
  formKey: string | null;
  claimedAt: string | null;
  completedBy: string | null;
  opinion: string | null;
  instanceStatus: string;
  variables: Record<string, JsonValue>;
  /** what the caller may do now: the UI shows exactly these buttons */
  operations: TaskOperation[];
  returnTargets: Array<{ node: string; name?: string }>;
  circulations: Array<{
    id: string;
    from: string;
    to: string[];
    message: string | null;
    at: string;
    readBy: Record<string, string>;
  }>;
}

/** Body of POST /tasks/:id/:operation; which fields apply depends on the operation. */
export interface TaskOperationRequest {
  decision?: string;
  opinion?: string;
  variables?: Record<string, JsonValue>;
  target?: string;
  to?: string;
  recipients?: string[];
  signer?: string;
  message?: string;
  circulationId?: string;
}

export interface InstanceDetail {
  id: string;
  definitionKey: string;
  definitionVersion: number;
  status: string;
  businessKey: string | null;
  orgId: number;
  startedAt: string;
  endedAt: string | null;
  version: number;
  tokens: Array<{ node: string; wait: string | null }>;
  tasks: OpenTaskSummary[];
  variables: Record<string, JsonValue>;
  error: { kind: string; code?: string; message: string; node?: string } | null;
  /** admin operations the caller may issue on this instance */
  operations: InstanceOperation[];
}

export interface InstanceOperationRequest {
  reason?: string;
  /** jump: target node id */
  target?: string;
  taskId?: string;
}

export const definitionsPath = '/workflow/definitions';
export const definitionPath = (key: string, version: number) =>
  `/workflow/definitions/${encodeURIComponent(key)}/${version}`;
export const tasksPath = (view: TaskView, limit = 50, offset = 0) =>
  withQuery('/workflow/tasks', { view, limit, offset });
export const taskPath = (id: string) => `/workflow/tasks/${encodeURIComponent(id)}`;
export const instancePath = (id: string) => `/workflow/instances/${encodeURIComponent(id)}`;
export const diagramPath = (instanceId: string) => `/workflow/instances/${encodeURIComponent(instanceId)}/diagram`;
export const historyPath = (instanceId: string) => `/workflow/instances/${encodeURIComponent(instanceId)}/history`;

export const deployDefinition = (xml: string, key?: string) =>
  api<DeployDefinitionResponse>('/workflow/definitions', { method: 'POST', body: key ? { xml, key } : { xml } });

export const getDefinition = (key: string, version: number) => api<DefinitionDetail>(definitionPath(key, version));

export const operateTask = (id: string, operation: TaskOperation, body: TaskOperationRequest = {}) =>
  api<CommandResponse>(`/workflow/tasks/${encodeURIComponent(id)}/${operation}`, { method: 'POST', body });

export const operateInstance = (id: string, operation: InstanceOperation, body: InstanceOperationRequest = {}) =>
  api<CommandResponse>(`/workflow/instances/${encodeURIComponent(id)}/${operation}`, { method: 'POST', body });
