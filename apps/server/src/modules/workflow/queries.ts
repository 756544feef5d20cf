import { AppError, hasPermission, type Actor } from '@guotu/domain';
import type { Definition } from '@guotu/engine';
import type { Db } from '../../platform/db.ts';
import { getDefinition } from './host.ts';
import { assertPermission, legalInstanceOperations, legalTaskOperations, maySeeTask } from './policy.ts';
import { policyActor } from './org-scope.ts';
import * as repo from './repository.ts';
import { facts, taskContext } from './task-context.ts';
import { clocksOfTasks, type TaskClock } from './task-clocks.ts';
import type {
  DiagramView,
  HistoryItem,
  InstanceDetail,
  JsonValue,
  TaskDetail,
  TaskListItem,
  TaskView,
} from '@guotu/contracts';

/** Read use cases: task lists (待办/已办/by org), a task with its legal operations, an instance. */

const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null);

function listItem(t: repo.TaskRow, clock: TaskClock | undefined): TaskListItem {
  return {
    id: t.id,
    instanceId: t.instanceId,
    businessKey: t.businessKey,
    definitionKey: t.definitionKey,
    node: t.node,
    name: t.name,
    assignee: t.assignee,
    candidateRoles: t.candidateRoles,
    status: t.status,
    createdAt: t.createdAt.toISOString(),
    completedAt: isoOrNull(t.completedAt),
    // the clock's due instant follows calendar imports; the task's copy is written with the task
    dueAt: isoOrNull(clock ? clock.dueAt : t.dueAt),
    decision: t.decision,
    clockState: clock?.clockState ?? null,
    dueDate: clock?.dueDate ?? null,
  };
}

export async function listTasks(
  db: Db,
  caller: Actor,
  query: { view: TaskView; limit?: number; offset?: number },
): Promise<{ items: TaskListItem[] }> {
  assertPermission(caller, 'workflow.read');
  const actor = await policyActor(db, caller);
  const rows = await repo.listTasksForView(db, query.view, actor, {
    limit: query.limit ?? 50,
    offset: query.offset ?? 0,
  });
  const clocks = await clocksOfTasks(
    db,
    rows.map((r) => r.id),
  );
  return { items: rows.map((r) => listItem(r, clocks.get(r.id))) };
}

export async function getTask(db: Db, caller: Actor, taskId: string): Promise<TaskDetail> {
  assertPermission(caller, 'workflow.read');
  const actor = await policyActor(db, caller);
  const task = await repo.findTask(db, taskId);
  const loaded = task ? await repo.loadInstance(db, task.instanceId, { forUpdate: false }) : undefined;
  if (!task || !loaded) throw new AppError('NOT_FOUND', `task ${taskId} not found`);
  const { returnTargets, cc, ctx } = await taskContext(db, actor, task, loaded);
  if (!maySeeTask(actor, facts(task), ctx.ccToMe)) throw new AppError('NOT_FOUND', `task ${taskId} not found`);
  const rootVars = loaded.state.scopes[loaded.state.rootScope]?.vars ?? {};
  const clocks = await clocksOfTasks(db, [task.id]);
  return {
    ...listItem(task, clocks.get(task.id)),
    owner: task.owner,
    delegation: task.delegation,
    orgId: task.orgId,
    formKey: task.formKey,
    claimedAt: isoOrNull(task.claimedAt),
    completedBy: task.completedBy,
    opinion: task.opinion,
    instanceStatus: loaded.row.status,
    variables: rootVars,
    operations: legalTaskOperations(actor, facts(task), ctx),
    returnTargets: task.status === 'open' && task.assignee === actor.username ? returnTargets : [],
    circulations: cc.map((c) => ({
      id: loaded.circulationIds.get(c.id) ?? c.id,
      from: c.from,
      to: c.to,
      message: c.message ?? null,
      at: c.at,
      readBy: c.readBy,
    })),
  };
}

/** Admin, an org-scope reader of the case's unit, or a participant; otherwise NOT_FOUND. */
async function loadVisibleInstance(db: Db, caller: Actor, instanceId: string): Promise<repo.LoadedInstance> {
  assertPermission(caller, 'workflow.read');
  const actor = await policyActor(db, caller);
  const loaded = /^[0-9a-f-]{36}$/i.test(instanceId)
    ? await repo.loadInstance(db, instanceId, { forUpdate: false })
    : undefined;
  if (!loaded) throw new AppError('NOT_FOUND', `instance ${instanceId} not found`);
  const visible =
    hasPermission(actor, 'workflow.admin') ||
    loaded.row.orgPath.startsWith(actor.orgPath) ||
    (await repo.isParticipant(db, instanceId, actor));
  if (!visible) throw new AppError('NOT_FOUND', `instance ${instanceId} not found`);
  return loaded;
}

export async function getInstance(db: Db, actor: Actor, instanceId: string): Promise<InstanceDetail> {
  const loaded = await loadVisibleInstance(db, actor, instanceId);
  const { row, state } = loaded;
  const tasks = await repo.openTaskSummaries(db, instanceId);
  return {
    id: row.id,
    definitionKey: row.key,
    definitionVersion: row.definitionVersion,
    status: row.status,
    businessKey: row.businessKey,
    orgId: row.orgId,
    startedAt: row.startedAt.toISOString(),
    endedAt: isoOrNull(row.endedAt),
    version: row.version,
    tokens: Object.values(state.tokens).map((t) => ({ node: t.node, wait: t.wait ?? null })),
    tasks: tasks.map((t) => ({
      id: String(t.id),
      node: t.node,
      name: t.name,
      assignee: t.assignee,
      candidateRoles: t.candidate_roles,
      dueAt: isoOrNull(t.due_at),
    })),
    variables: state.scopes[state.rootScope]?.vars ?? {},
    error: state.error ?? null,
    operations: legalInstanceOperations(actor, row.status),
  };
}

export async function getInstanceHistory(db: Db, actor: Actor, instanceId: string): Promise<{ items: HistoryItem[] }> {
  await loadVisibleInstance(db, actor, instanceId);
  const rows = await repo.listHistory(db, instanceId);
  return {
    items: rows.map((r) => ({
      id: String(r.id),
      at: r.at.toISOString(),
      type: r.type,
      node: r.node,
      taskKey: r.task_key,
      by: r.by_user,
      decision: r.decision,
      opinion: r.opinion,
      detail: (r.detail ?? null) as JsonValue,
      before: (r.before ?? null) as JsonValue,
      after: (r.after ?? null) as JsonValue,
    })),
  };
}

/**
 * The diagram with the position: active nodes (where tokens wait), completed nodes (started
 * at, completed tasks, and the gateways/events between them), and the flows taken between
 * visited nodes. The engine does not log every flow it takes, so flows are derived from the
 * visited nodes — exact for the approval processes, an approximation where loops revisit nodes.
 */
export async function getInstanceDiagram(db: Db, actor: Actor, instanceId: string): Promise<DiagramView> {
  const loaded = await loadVisibleInstance(db, actor, instanceId);
  const definitionRow = await repo.findDefinition(db, loaded.row.key, loaded.row.definitionVersion);
  if (!definitionRow) throw new AppError('NOT_FOUND', `definition of instance ${instanceId} not found`);
  const definition = await getDefinition(db, loaded.row.key, loaded.row.definitionVersion);
  const active = new Set(
    Object.values(loaded.state.tokens)
      .filter((t) => t.wait)
      .map((t) => t.node),
  );
  const completed = new Set(await repo.nodesOfHistory(db, instanceId));
  const { visited, flows } = pathTaken(
    definition,
    completed,
    active,
    loaded.row.status === 'completed',
    await repo.taskArrivals(db, instanceId),
  );
  return {
    key: loaded.row.key,
    version: loaded.row.definitionVersion,
    xml: definitionRow.xml,
    activeNodeIds: [...active].sort(),
    completedNodeIds: [...visited].filter((n) => !active.has(n)).sort(),
    takenFlowIds: flows.sort(),
  };
}

const PASS_THROUGH = new Set([
  'exclusiveGateway',
  'parallelGateway',
  'inclusiveGateway',
  'eventBasedGateway',
  'intermediateThrowEvent',
  'endEvent',
]);

function pathTaken(
  def: Definition,
  completed: Set<string>,
  active: Set<string>,
  ended: boolean,
  arrivals: Map<string, Set<string>>,
): { visited: Set<string>; flows: string[] } {
  const visited = new Set([...completed, ...active]);
  // Gateways and pass-through events between visited nodes were visited too (to a fixpoint).
  for (let changed = true; changed;) {
    changed = false;
    for (const node of Object.values(def.nodes)) {
      if (visited.has(node.id) || !PASS_THROUGH.has(node.kind)) continue;
      const from = node.incoming.some(
        (f) =>
          (visited.has(def.flows[f]?.source ?? '') && completed.has(def.flows[f]?.source ?? '')) ||
          (visited.has(def.flows[f]?.source ?? '') &&
            PASS_THROUGH.has(def.nodes[def.flows[f]?.source ?? '']?.kind ?? '')),
      );
      const to = node.kind === 'endEvent' ? ended : node.outgoing.some((f) => visited.has(def.flows[f]?.target ?? ''));
      if (from && to) {
        visited.add(node.id);
        changed = true;
      }
    }
  }
  // Into a task the recorded arrival flow is exact; elsewhere a flow between visited nodes counts.
  const flows = Object.values(def.flows)
    .filter(
      (f) =>
        visited.has(f.source) &&
        visited.has(f.target) &&
        !active.has(f.source) &&
        (arrivals.get(f.target)?.has(f.id) ?? true),
    )
    .map((f) => f.id);
  return { visited, flows };
}
