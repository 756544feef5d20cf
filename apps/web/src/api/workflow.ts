import { api, withQuery } from './client.ts';

// The workflow API: types from @guotu/contracts (shared with the server), paths and calls here.
import {
  taskOperations,
  type CommandResponse,
  type DeployDefinitionResponse,
  type DefinitionDetail,
  type InstanceOperation,
  type InstanceOperationRequest,
  type TaskOperation,
  type TaskOperationRequest,
  type TaskView,
} from '@guotu/contracts';

export { taskOperations };
export type {
  CommandResponse,
  DefinitionDetail,
  DefinitionKeyList,
  DefinitionSummary,
  DeployDefinitionResponse,
  DiagramView,
  HistoryItem,
  InstanceDetail,
  InstanceOperation,
  InstanceOperationRequest,
  JsonValue,
  OpenTaskSummary,
  TaskClockState,
  TaskDetail,
  TaskListItem,
  TaskOperation,
  TaskOperationRequest,
  TaskView,
} from '@guotu/contracts';

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
