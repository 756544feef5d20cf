import { AppError, type Actor } from '@guotu/domain';
import type { Command } from '@guotu/engine';
import type { CommandResponse, StartInstanceRequest, TaskOperation, TaskOperationRequest } from '@guotu/contracts';
import type { Tx } from '../../platform/db.ts';
import {
  getDefinition,
  measureLoad,
  prepareCommand,
  prepareStart,
  writePrepared,
  type CommandMeta,
  type CommandResult,
  type Prepared,
  type WorkflowDeps,
} from './host.ts';
import { bureauOf, policyActor } from './org-scope.ts';
import { assertMayStart, assertPermission, legalTaskOperations, maySeeTask, type PolicyActor } from './policy.ts';
import * as repo from './repository.ts';
import { facts, taskContext } from './task-context.ts';
import { notifyTaskCommand } from './task-notify.ts';

/**
 * Task operations and starts as items of one transaction — one item (a caller's own transaction)
 * or a batch gathered by the group commit (group-commit.ts). The batch reads its tasks in one
 * query, locks and loads all their instances in one call (in id order), prepares every item in
 * Node and writes them all in one statement. An item refused by the rules (not found, not
 * allowed, bad input) is refused alone; the others go on. A second item on an instance already
 * in the batch waits for the next one (`later`), so each instance steps once per transaction.
 */

export type CommandItem =
  | {
      kind: 'task';
      caller: Actor;
      taskId: string;
      operation: TaskOperation;
      body: TaskOperationRequest;
      meta: CommandMeta;
    }
  | { kind: 'start'; actor: Actor; input: StartInstanceRequest; meta: CommandMeta };

export type Outcome = { ok: true; value: CommandResponse } | { ok: false; error: AppError } | { ok: 'later' };

interface Ready {
  index: number;
  prepared: Prepared;
  /** runs after the write, in the transaction: notifications, then the response */
  finish: (result: CommandResult) => Promise<CommandResponse>;
}

export async function runCommandsTx(
  deps: WorkflowDeps,
  tx: Tx,
  items: readonly CommandItem[],
  /** given: the caller asks for the feed push after the commit (see `writePrepared`) */
  deferPush?: { wanted: boolean },
): Promise<Outcome[]> {
  const outcomes: Outcome[] = items.map(() => ({ ok: 'later' }));
  const taskIds = items.flatMap((i) => (i.kind === 'task' ? [i.taskId] : []));
  const keys = [
    ...new Set(items.flatMap((i) => (i.kind === 'start' && i.input.version === undefined ? [i.input.key] : []))),
  ];
  const { tasks, instances, latest } = await measureLoad(() => repo.loadGroup(tx, taskIds, keys, { forUpdate: true }));
  const taken = new Set<string>();
  const ready: Ready[] = [];
  for (const [index, item] of items.entries()) {
    try {
      if (item.kind === 'task') {
        const task = tasks.get(String(item.taskId));
        if (task && taken.has(task.instanceId)) continue; // stays 'later'
        if (task) taken.add(task.instanceId);
        const loaded = task ? instances.get(task.instanceId) : undefined;
        ready.push({ index, ...(await prepareTask(deps, tx, item, task, loaded)) });
      } else {
        ready.push({ index, ...(await prepareStartItem(tx, item, latest)) });
      }
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      outcomes[index] = { ok: false, error };
    }
  }
  const results = await writePrepared(
    deps,
    tx,
    ready.map((r) => r.prepared),
    deferPush,
  );
  for (const [k, r] of ready.entries()) {
    const result = results[k];
    if (result) outcomes[r.index] = { ok: true, value: await r.finish(result) };
  }
  return outcomes;
}

/** One item in the caller's transaction: its response, or its error thrown. */
export async function runCommandTxOrThrow(deps: WorkflowDeps, tx: Tx, item: CommandItem): Promise<CommandResponse> {
  const [outcome] = await runCommandsTx(deps, tx, [item]);
  if (outcome?.ok === true) return outcome.value;
  if (outcome?.ok === false) throw outcome.error;
  throw new Error('a single command cannot wait for a later batch');
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

// ---- task operations ------------------------------------------------------------------------

async function prepareTask(
  deps: WorkflowDeps,
  tx: Tx,
  item: Extract<CommandItem, { kind: 'task' }>,
  found: repo.TaskRow | undefined,
  loaded: repo.LoadedInstance | undefined,
): Promise<Omit<Ready, 'index'>> {
  const { caller, taskId, operation, body, meta } = item;
  assertPermission(caller, 'workflow.read');
  const actor = await policyActor(tx, caller);
  if (!found || !loaded) throw new AppError('NOT_FOUND', `task ${taskId} not found`);
  const task = await underLock(tx, actor, taskId, found, loaded);
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
  const prepared = await prepareCommand(tx, loaded, command, meta);
  return {
    prepared,
    finish: async (result) => {
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
    },
  };
}

/**
 * The task as it is under the instance lock: the loaded state is the truth — a concurrent command
 * may have closed or reassigned it since the unlocked read. NOT_FOUND for a task the caller may
 * not see.
 */
async function underLock(
  tx: Tx,
  actor: PolicyActor,
  taskId: string,
  task: repo.TaskRow,
  loaded: repo.LoadedInstance,
): Promise<repo.TaskRow> {
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
  const cc = Object.values(loaded.state.circulations).some(
    (c) => c.taskId === current.taskKey && c.to.includes(actor.username),
  );
  if (!maySeeTask(actor, facts(current), cc)) throw new AppError('NOT_FOUND', `task ${taskId} not found`);
  return current;
}

export function need<T>(value: T | undefined, field: string, operation: string): T {
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

// ---- starts ---------------------------------------------------------------------------------

async function prepareStartItem(
  tx: Tx,
  item: Extract<CommandItem, { kind: 'start' }>,
  latest: ReadonlyMap<string, number>,
): Promise<Omit<Ready, 'index'>> {
  const { actor, input, meta } = item;
  assertMayStart(actor);
  const version = input.version ?? latest.get(input.key);
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
  const prepared = await prepareStart(
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
    meta,
  );
  return { prepared, finish: (result) => Promise.resolve(present(prepared.loaded.row.id, 1, result)) };
}
