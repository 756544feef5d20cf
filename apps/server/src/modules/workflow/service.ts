import { AppError, type Actor } from '@guotu/domain';
import type { Command, InstanceState, Json } from '@guotu/engine';
import { inTransaction, type Tx } from '../../platform/db.ts';
import {
  getDefinition,
  measureLoad,
  runCommandTx,
  startInstanceTx,
  type CommandMeta,
  type CommandResult,
  type WorkflowDeps,
} from './host.ts';
import {
  assertMayStart,
  assertPermission,
  legalInstanceOperations,
  legalTaskOperations,
  maySeeTask,
  type PolicyActor,
} from './policy.ts';
import { bureauOf, policyActor } from './org-scope.ts';
import * as repo from './repository.ts';
import type {
  CommandResponse,
  InstanceOperation,
  InstanceOperationRequest,
  StartInstanceRequest,
  TaskOperation,
  TaskOperationRequest,
} from '@guotu/contracts';

export type { WorkflowDeps, WorkflowChange, WorkflowListener, CommandMeta } from './host.ts';
export { deployDefinition, listDefinitions, getDefinitionDetail } from './definitions-service.ts';
export { listTasks, getTask, getInstance, getInstanceHistory, getInstanceDiagram } from './queries.ts';
import { facts, taskContext } from './task-context.ts';
import { notifyTaskCommand } from './task-notify.ts';

/**
 * Use cases that change a process instance. Each is ONE transaction: the instance row lock, the
 * engine step, the row difference, history, clocks, timer/service jobs and the audit record.
 */

/** The meta of a command; fetch it before opening the transaction (the calendar may query). */
export async function commandMeta(
  deps: WorkflowDeps,
  actor: Actor | null,
  extra: { opinion?: string } = {},
): Promise<CommandMeta> {
  return meta(deps, actor, extra);
}

async function meta(deps: WorkflowDeps, actor: Actor | null, extra: { opinion?: string } = {}): Promise<CommandMeta> {
  return {
    actorId: actor?.userId ?? null,
    actorName: actor?.username ?? 'system',
    requestId: actor?.requestId ?? null,
    calendar: await deps.calendar.get(),
    now: new Date(),
    ...(extra.opinion !== undefined ? { opinion: extra.opinion } : {}),
  };
}

export function present(
  instanceId: string,
  version: number,
  result: CommandResult,
  dueOf: (taskKey: string) => Date | null = () => null,
): CommandResponse {
  return {
    instanceId,
    status: result.state.status,
    version,
    tasks: Object.values(result.state.tasks).map((t) => ({
      id: result.taskIds.get(t.id) ?? '',
      node: t.node,
      name: t.name ?? null,
      assignee: t.assignee ?? null,
      candidateRoles: t.candidateRoles,
      dueAt: dueOf(t.id)?.toISOString() ?? null,
    })),
  };
}

export async function startInstance(
  deps: WorkflowDeps,
  actor: Actor,
  input: StartInstanceRequest,
): Promise<CommandResponse> {
  assertMayStart(actor);
  const m = await meta(deps, actor);
  return inTransaction(deps.db, async (tx) => {
    const version = input.version ?? (await repo.latestDefinitionVersion(tx, input.key))?.version;
    if (version === undefined)
      throw new AppError('NOT_FOUND', `no process definition ${input.key}`, [
        { path: 'body.key', message: 'not deployed' },
      ]);
    const definition = await getDefinition(tx, input.key, version);
    // A case belongs to the receiving clerk's bureau unless another unit in scope is named.
    let org = await bureauOf(tx, actor);
    if (input.orgId !== undefined) {
      const chosen = await repo.findOrg(tx, { id: input.orgId });
      if (!chosen?.path.startsWith(actor.orgPath))
        throw new AppError('NOT_FOUND', `org unit ${input.orgId} not found`, [
          { path: 'body.orgId', message: 'no such unit in your scope' },
        ]);
      org = chosen;
    }
    const result = await startInstanceTx(
      deps,
      tx,
      {
        definition,
        businessKey: input.businessKey ?? null,
        orgId: org.id,
        orgPath: org.path,
        startedBy: actor.userId,
        variables: input.variables ?? {},
        by: actor.username,
      },
      m,
    );
    return present(result.state.instanceId, 1, result);
  });
}

/**
 * Starts an instance inside the caller's transaction, for a unit the caller has already checked
 * (the case module starts a case's process at acceptance, in the acceptance transaction).
 */
export async function startInstanceTxFor(
  deps: WorkflowDeps,
  tx: Tx,
  actor: Pick<Actor, 'userId' | 'username'> | { userId: null; username: string },
  input: {
    key: string;
    version?: number;
    businessKey: string;
    org: { id: number; path: string };
    variables: Record<string, Json>;
  },
  m: CommandMeta,
): Promise<CommandResponse> {
  const version = input.version ?? (await repo.latestDefinitionVersion(tx, input.key))?.version;
  if (version === undefined) throw new AppError('INVALID_STATE', `process ${input.key} is not deployed`);
  const definition = await getDefinition(tx, input.key, version);
  const result = await startInstanceTx(
    deps,
    tx,
    {
      definition,
      businessKey: input.businessKey,
      orgId: input.org.id,
      orgPath: input.org.path,
      startedBy: actor.userId,
      variables: input.variables,
      by: actor.username,
    },
    m,
  );
  return present(result.state.instanceId, 1, result);
}

/** Locks and loads the task's instance; NOT_FOUND for a task the caller may not see. */
async function lockTask(tx: Tx, actor: PolicyActor, taskId: string) {
  const task = await measureLoad(() => repo.findTask(tx, taskId));
  if (!task) throw new AppError('NOT_FOUND', `task ${taskId} not found`);
  const loaded = await measureLoad(() => repo.loadInstance(tx, task.instanceId, { forUpdate: true }));
  if (!loaded) throw new AppError('NOT_FOUND', `task ${taskId} not found`);
  // Under the lock the loaded state is the truth: a concurrent command may have closed or
  // reassigned the task since the unlocked read above.
  const open = loaded.state.tasks[task.taskKey];
  const current: repo.TaskRow | undefined = open
    ? {
        ...task,
        status: 'open',
        assignee: open.assignee ?? null,
        owner: open.owner ?? null,
        delegation: open.delegation ?? null,
        claimed: open.claimed === true,
        candidateRoles: open.candidateRoles,
      }
    : await repo.findTask(tx, taskId);
  if (!current) throw new AppError('NOT_FOUND', `task ${taskId} not found`);
  const cc = Object.values(loaded.state.circulations).filter(
    (c) => c.taskId === current.taskKey && c.to.includes(actor.username),
  );
  if (!maySeeTask(actor, facts(current), cc.length > 0)) throw new AppError('NOT_FOUND', `task ${taskId} not found`);
  return { task: current, loaded, cc };
}

function need<T>(value: T | undefined, field: string, operation: string): T {
  if (value === undefined || value === '')
    throw new AppError('VALIDATION_FAILED', `${operation} needs body.${field}`, [
      { path: `body.${field}`, message: 'required' },
    ]);
  return value;
}

async function assertUsers(tx: Tx, usernames: string[], field: string): Promise<void> {
  const known = await repo.existingUsernames(tx, usernames);
  const missing = usernames.filter((u) => !known.has(u));
  if (missing.length > 0)
    throw new AppError('VALIDATION_FAILED', `unknown or disabled user: ${missing.join(', ')}`, [
      { path: `body.${field}`, message: `no active user ${missing.join(', ')}` },
    ]);
}

export async function operateTask(
  deps: WorkflowDeps,
  caller: Actor,
  taskId: string,
  operation: TaskOperation,
  body: TaskOperationRequest,
): Promise<CommandResponse> {
  assertPermission(caller, 'workflow.read');
  const m = await meta(
    deps,
    caller,
    operation === 'complete' && body.opinion !== undefined ? { opinion: body.opinion } : {},
  );
  return inTransaction(deps.db, (tx) => operateTaskTx(deps, tx, caller, taskId, operation, body, m));
}

/**
 * One task operation inside the caller's transaction (the case module wraps its own state change
 * around it). `m` comes from `commandMeta`, fetched before the transaction.
 */
export async function operateTaskTx(
  deps: WorkflowDeps,
  tx: Tx,
  caller: Actor,
  taskId: string,
  operation: TaskOperation,
  body: TaskOperationRequest,
  m: CommandMeta,
): Promise<CommandResponse> {
  assertPermission(caller, 'workflow.read');
  const actor = await policyActor(tx, caller);
  {
    const { task, loaded } = await lockTask(tx, actor, taskId);
    const { ctx } = await taskContext(tx, actor, task, loaded);
    const legal = legalTaskOperations(actor, facts(task), ctx);
    if (!legal.includes(operation)) {
      if (task.status !== 'open' && operation !== 'withdraw')
        throw new AppError(
          'CONFLICT',
          `task ${taskId} is already ${task.status}${task.completedBy ? ` by ${task.completedBy}` : ''}`,
        );
      throw new AppError(
        'OPERATION_NOT_ALLOWED',
        `${operation} is not allowed on task ${taskId} for you now; allowed: ${legal.join(', ') || 'nothing'}`,
      );
    }
    const command = await buildTaskCommand(tx, actor, task, loaded, operation, body);
    // A candidate completes an unclaimed task directly (the policy checked the role and unit).
    const result = await runCommandTx(deps, tx, loaded, command, m);
    // 催办 and 传阅 tell people through the notification outbox, in this transaction.
    if (deps.notify && (operation === 'urge' || operation === 'circulate'))
      await notifyTaskCommand(tx, deps.notify, {
        instance: { id: loaded.row.id, businessKey: loaded.row.businessKey },
        version: loaded.row.version + 1,
        task: { name: task.name, node: task.node, orgPath: task.orgPath },
        by: actor.username,
        effects: result.effects,
        sms: body.sms === true,
      });
    return present(loaded.row.id, loaded.row.version + 1, result);
  }
}

async function buildTaskCommand(
  tx: Tx,
  actor: Actor,
  task: repo.TaskRow,
  loaded: repo.LoadedInstance,
  operation: TaskOperation,
  body: TaskOperationRequest,
): Promise<Command> {
  const by = actor.username;
  const taskKey = task.taskKey;
  const opinion = body.opinion !== undefined ? { opinion: body.opinion } : {};
  switch (operation) {
    case 'complete':
      return {
        type: 'completeTask',
        taskId: taskKey,
        by,
        ...(body.decision !== undefined ? { decision: body.decision } : {}),
        ...opinion,
        ...(body.variables ? { variables: body.variables } : {}),
      };
    case 'claim':
      return { type: 'claim', taskId: taskKey, by, roles: actor.roles };
    case 'unclaim':
      return { type: 'unclaim', taskId: taskKey, by };
    case 'return':
      return { type: 'return', taskId: taskKey, by, target: need(body.target, 'target', operation), ...opinion };
    case 'withdraw':
      return { type: 'withdraw', taskId: taskKey, by };
    case 'transfer':
    case 'delegate': {
      const to = need(body.to, 'to', operation);
      await assertUsers(tx, [to], 'to');
      return { type: operation, taskId: taskKey, by, to, ...opinion };
    }
    case 'resolve':
      return {
        type: 'resolve',
        taskId: taskKey,
        by,
        ...opinion,
        ...(body.variables ? { variables: body.variables } : {}),
      };
    case 'addSigner':
    case 'removeSigner': {
      const signer = need(body.signer, 'signer', operation);
      if (operation === 'addSigner') await assertUsers(tx, [signer], 'signer');
      return { type: operation, taskId: taskKey, by, signer };
    }
    case 'urge':
      return { type: 'urge', taskId: taskKey, by, ...(body.message !== undefined ? { message: body.message } : {}) };
    case 'circulate': {
      const to = need(body.recipients, 'recipients', operation);
      await assertUsers(tx, to, 'recipients');
      return {
        type: 'circulate',
        by,
        to,
        taskId: taskKey,
        ...(body.message !== undefined ? { message: body.message } : {}),
      };
    }
    case 'markRead': {
      const wanted = body.circulationId;
      const unread = Object.values(loaded.state.circulations).filter(
        (c) => c.taskId === taskKey && c.to.includes(by) && !(by in c.readBy),
      );
      const circ = wanted === undefined ? unread[0] : unread.find((c) => loaded.circulationIds.get(c.id) === wanted);
      if (!circ)
        throw new AppError(
          'NOT_FOUND',
          `no unread circulation ${wanted ?? ''} of task ${task.id} for you`.replace('  ', ' '),
        );
      return { type: 'markRead', circulationId: circ.id, by };
    }
  }
}

export async function operateInstance(
  deps: WorkflowDeps,
  actor: Actor,
  instanceId: string,
  operation: InstanceOperation,
  body: InstanceOperationRequest,
): Promise<CommandResponse> {
  assertPermission(actor, 'workflow.admin');
  const m = await meta(deps, actor);
  return inTransaction(deps.db, async (tx) => {
    const loaded = /^[0-9a-f-]{36}$/i.test(instanceId)
      ? await repo.loadInstance(tx, instanceId, { forUpdate: true })
      : undefined;
    if (!loaded) throw new AppError('NOT_FOUND', `instance ${instanceId} not found`);
    if (!legalInstanceOperations(actor, loaded.row.status).includes(operation))
      throw new AppError('OPERATION_NOT_ALLOWED', `${operation} is not allowed on a ${loaded.row.status} instance`);
    const by = actor.username;
    const reason = body.reason !== undefined ? { reason: body.reason } : {};
    let command: Command;
    switch (operation) {
      case 'suspend':
        command = { type: 'suspend', by, ...reason };
        break;
      case 'resume':
        command = { type: 'resume', by };
        break;
      case 'terminate':
        command = { type: 'terminate', by, ...reason };
        break;
      case 'jump': {
        let taskKey: string | undefined;
        if (body.taskId !== undefined) {
          const t = await repo.findTask(tx, body.taskId);
          if (t?.instanceId !== instanceId || t.status !== 'open')
            throw new AppError('NOT_FOUND', `open task ${body.taskId} not found in instance ${instanceId}`, [
              { path: 'body.taskId', message: 'not an open task of this instance' },
            ]);
          taskKey = t.taskKey;
        }
        command = {
          type: 'jump',
          by,
          target: need(body.target, 'target', operation),
          ...(taskKey ? { taskId: taskKey } : {}),
          ...reason,
        };
        break;
      }
    }
    const result = await runCommandTx(deps, tx, loaded, command, m);
    return present(loaded.row.id, loaded.row.version + 1, result);
  });
}

// ---- job-driven commands (no acting user) -----------------------------------------------------

/** `workflow.timer.fire`: idempotent — a timer already fired or cancelled, or an instance not running, is a no-op. */
export async function fireTimer(deps: WorkflowDeps, timerId: string, iteration?: number): Promise<'fired' | 'skipped'> {
  const m = await meta(deps, null);
  return inTransaction(deps.db, async (tx) => {
    const timer = /^\d{1,18}$/.test(timerId) ? await repo.findTimerInstance(tx, timerId) : undefined;
    if (timer?.status !== 'pending') return 'skipped';
    const loaded = await repo.loadInstance(tx, timer.instanceId, { forUpdate: true });
    // Re-checked under the lock; a suspended instance keeps the timer (resume re-enqueues it).
    const pending = loaded?.state.timers[timer.timerKey];
    // A job for an earlier iteration of a rescheduled timer must not fire the current one early.
    if (
      !loaded ||
      !pending ||
      loaded.row.status !== 'running' ||
      (iteration !== undefined && pending.iteration !== iteration)
    )
      return 'skipped';
    await runCommandTx(deps, tx, loaded, { type: 'fireTimer', timerId: timer.timerKey }, m);
    return 'fired';
  });
}

/** `workflow.service.invoke` result: applied once; a job that no longer waits is a no-op. */
export async function completeServiceJob(
  deps: WorkflowDeps,
  input: {
    instanceId: string;
    jobId: string;
    outcome: { ok: true; variables?: Record<string, Json> } | { ok: false; errorCode?: string; message: string };
  },
): Promise<'applied' | 'skipped'> {
  const m = await meta(deps, null);
  return inTransaction(deps.db, async (tx) => {
    const loaded = await repo.loadInstance(tx, input.instanceId, { forUpdate: true });
    if (!loaded || loaded.row.status !== 'running' || !waitsForJob(loaded.state, input.jobId)) return 'skipped';
    const o = input.outcome;
    const command: Command = o.ok
      ? { type: 'completeService', jobId: input.jobId, ...(o.variables ? { variables: o.variables } : {}) }
      : {
          type: 'failService',
          jobId: input.jobId,
          message: o.message,
          ...(o.errorCode !== undefined ? { errorCode: o.errorCode } : {}),
        };
    await runCommandTx(deps, tx, loaded, command, m);
    return 'applied';
  });
}

function waitsForJob(state: InstanceState, jobId: string): boolean {
  return Object.values(state.tokens).some((t) => t.job === jobId && t.wait === 'service');
}
