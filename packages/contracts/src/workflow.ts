/**
 * API contract of the workflow module (requests and responses of /api/v1/workflow), shared by
 * the server (apps/server/src/modules/workflow) and the web (apps/web/src/api/workflow.ts).
 * Plain JSON types, plus the operation name lists both sides enumerate.
 */
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

export const instanceOperations = ['suspend', 'resume', 'jump', 'terminate'] as const;
export type InstanceOperation = (typeof instanceOperations)[number];

export type TaskView = 'todo' | 'done' | 'org';

/**
 * A task's step clock as the inbox shows it (from the `clocks` row behind the task): `dueSoon`
 * past its warning instant (黄牌), `overdue` past its due instant (红牌; for a closed task: it
 * was closed late), `paused` while the instance is suspended, `normal` otherwise; null = the
 * task has no time limit.
 */
export type TaskClockState = 'normal' | 'dueSoon' | 'overdue' | 'paused';

export interface DeployDefinitionRequest {
  xml: string;
  key?: string;
}

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

export interface StartInstanceRequest {
  key: string;
  version?: number;
  businessKey?: string;
  variables?: Record<string, JsonValue>;
  /** org unit the case belongs to (within the caller's scope); default: the caller's bureau */
  orgId?: number;
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
  /** the step clock's state now (closed tasks: as of closing); null without a time limit */
  clockState: TaskClockState | null;
  /** the civil due date (YYYY-MM-DD, Shanghai) of the step clock; null without one or while paused */
  dueDate: string | null;
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
  /** return: target node id */
  target?: string;
  /** transfer, delegate: username */
  to?: string;
  /** circulate: usernames */
  recipients?: string[];
  /** addSigner, removeSigner: username */
  signer?: string;
  message?: string;
  /** circulate: also send each recipient an SMS (in-app always) */
  sms?: boolean;
  /** markRead: the circulation (default: every unread one of this task addressed to me) */
  circulationId?: string;
}

export interface InstanceOperationRequest {
  reason?: string;
  /** jump: target node id; taskId: only that task's step jumps */
  target?: string;
  taskId?: string;
}
