import { AppError, type Actor } from '@guotu/domain';
import type { Command, InstanceState, Json } from '@guotu/engine';
import { inTransaction, type Tx } from '../../platform/db.ts';
import { getDefinition, runCommandTx, startInstanceTx, type CommandMeta, type WorkflowDeps } from './host.ts';
import { assertMayStart, assertPermission, legalInstanceOperations } from './policy.ts';
import { need, present, runCommandTxOrThrow } from './commands.ts';
import { submitCommand } from './group-commit.ts';
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

/**
 * Use cases that change a process instance. Each command is all-or-nothing in ONE transaction:
 * the instance row lock, the engine step, the row difference, history, clocks, timer/service jobs
 * and the audit record. Task operations and starts from callers without a transaction are
 * group-committed (group-commit.ts): under load, several commands share one transaction.
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

export { present };

/** Starts an instance (group-committed with other commands under load, group-commit.ts). */
export async function startInstance(
  deps: WorkflowDeps,
  actor: Actor,
  input: StartInstanceRequest,
): Promise<CommandResponse> {
  assertMayStart(actor);
  return submitCommand(deps, { kind: 'start', actor, input, meta: await meta(deps, actor) });
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
  return submitCommand(deps, { kind: 'task', caller, taskId, operation, body, meta: m });
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
  return runCommandTxOrThrow(deps, tx, { kind: 'task', caller, taskId, operation, body, meta: m });
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
