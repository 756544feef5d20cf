import { AppError } from '@guotu/domain';
import type { Command } from './commands.ts';
import type { Effect } from './effects.ts';
import type { Definition } from './model.ts';
import { approvalOperation } from './operations.ts';
import { Run } from './run-context.ts';
import type { StepOptions } from './run-context.ts';
import {
  broadcastSignal,
  failInstance,
  scheduleTimer,
  throwError,
  triggerEvent,
  triggerSubscription,
} from './events.ts';
import { RuntimeIncident, activityDone, cancelToken, drain, leave, newToken, runHandler } from './runtime.ts';
import { cloneJson, emptyState } from './state.ts';
import type { InstanceState, Task } from './state.ts';

export interface StepResult {
  readonly state: InstanceState;
  readonly effects: readonly Effect[];
}

/** Commands still accepted while the instance is suspended (挂起). */
const WHILE_SUSPENDED = new Set(['resume', 'terminate', 'urge', 'markRead', 'circulate']);

/**
 * The engine: pure and deterministic. Returns the next state and the effects the host must
 * apply in the same transaction. `now` is an ISO-8601 instant; the input state is not mutated.
 * Throws AppError (OPERATION_NOT_ALLOWED, NOT_FOUND, CONFLICT) for commands that do not apply.
 */
export function step(
  definition: Definition,
  state: InstanceState | undefined,
  command: Command,
  now: string,
  options: StepOptions = {},
): StepResult {
  const s = command.type === 'start' ? emptyState() : cloneState(state);
  const r = new Run(definition, s, now, options);
  if (command.type !== 'start') {
    if (s.status === 'suspended' && !WHILE_SUSPENDED.has(command.type))
      throw new AppError('OPERATION_NOT_ALLOWED', `instance is suspended: ${command.type} is not allowed`);
    if (s.status !== 'running' && s.status !== 'suspended')
      throw new AppError('OPERATION_NOT_ALLOWED', `instance is ${s.status}`);
  }
  try {
    dispatch(r, command);
    drain(r);
  } catch (e) {
    if (!(e instanceof RuntimeIncident)) throw e;
    failInstance(r, { kind: 'runtime', message: e.message, node: e.node });
  }
  return { state: s, effects: r.effects };
}

function cloneState(state: InstanceState | undefined): InstanceState {
  if (!state) throw new AppError('NOT_FOUND', 'no instance state');
  return cloneJson(state);
}

export function getTask(r: Run, taskId: string): Task {
  const t = r.s.tasks[taskId];
  if (!t) throw new AppError('NOT_FOUND', `task ${taskId} not found or no longer open`);
  return t;
}

function dispatch(r: Run, c: Command): void {
  switch (c.type) {
    case 'start':
      return start(r, c);
    case 'completeTask':
      return completeTask(r, c);
    case 'fireTimer':
      return fireTimer(r, c.timerId);
    case 'correlateMessage': {
      const subs = Object.values(r.s.subscriptions).filter((x) => x.kind === 'message' && x.name === c.name);
      if (subs.length === 0) throw new AppError('NOT_FOUND', `nothing waits for message '${c.name}'`);
      const first = subs[0];
      if (first) {
        r.setVars(r.token(first.token).scope, c.variables);
        triggerSubscription(r, first.id);
      }
      return;
    }
    case 'signal':
      return broadcastSignal(r, c.name, false);
    case 'completeService':
    case 'failService':
      return serviceResult(r, c);
    case 'terminate':
      for (const t of Object.values(r.s.tokens)) cancelToken(r, t, 'terminated');
      r.s.scopes = {};
      r.s.status = 'terminated';
      r.emit({ type: 'instance.terminated', reason: c.reason ?? 'terminated' });
      r.log({ type: 'instance.terminated', by: c.by, ...(c.reason !== undefined ? { opinion: c.reason } : {}) });
      return;
    case 'suspend':
      if (r.s.status !== 'running')
        throw new AppError('OPERATION_NOT_ALLOWED', 'only a running instance can be suspended');
      r.s.status = 'suspended';
      r.emit({ type: 'instance.suspended' });
      r.log({ type: 'instance.suspended', by: c.by, ...(c.reason !== undefined ? { opinion: c.reason } : {}) });
      return;
    case 'resume':
      if (r.s.status !== 'suspended')
        throw new AppError('OPERATION_NOT_ALLOWED', 'only a suspended instance can be resumed');
      r.s.status = 'running';
      r.emit({ type: 'instance.resumed' });
      r.log({ type: 'instance.resumed', by: c.by });
      return;
    case 'claim':
    case 'unclaim':
    case 'return':
    case 'withdraw':
    case 'transfer':
    case 'delegate':
    case 'resolve':
    case 'addSigner':
    case 'removeSigner':
    case 'urge':
    case 'circulate':
    case 'markRead':
    case 'jump':
      return approvalOperation(r, c);
  }
}

function start(r: Run, c: Extract<Command, { type: 'start' }>): void {
  const def = r.def;
  const proc = def.processes[def.mainProcess];
  if (!proc) throw new AppError('DEFINITION_INVALID', 'definition has no main process');
  const starts = proc.starts.map((id) => def.nodes[id]).filter((n) => n !== undefined);
  const startNode =
    c.message !== undefined
      ? starts.find((n) => n.event?.type === 'message' && n.event.message === c.message)
      : c.signal !== undefined
        ? starts.find((n) => n.event?.type === 'signal' && n.event.signal === c.signal)
        : (starts.find((n) => n.event?.type === 'none') ?? starts[0]);
  if (!startNode) throw new AppError('NOT_FOUND', 'no matching start event');
  Object.assign(r.s, { instanceId: c.instanceId, key: def.key, version: def.version, status: 'running' });
  const root = { id: r.id('s'), kind: 'process' as const, container: proc.id, vars: { ...(c.variables ?? {}) } };
  r.s.rootScope = root.id;
  r.s.scopes[root.id] = root;
  r.log({ type: 'instance.started', node: startNode.id, ...(c.by !== undefined ? { by: c.by } : {}) });
  r.agenda.push(newToken(r, startNode.id, root.id).id);
}

function completeTask(r: Run, c: Extract<Command, { type: 'completeTask' }>): void {
  const task = getTask(r, c.taskId);
  if (task.delegation === 'pending')
    throw new AppError('OPERATION_NOT_ALLOWED', 'a delegated task is resolved by the delegate, not completed');
  if (task.assignee !== undefined && task.assignee !== c.by)
    throw new AppError('OPERATION_NOT_ALLOWED', `task ${task.id} is assigned to someone else`);
  const t = r.token(task.token);
  delete r.s.tasks[task.id];
  r.emit({
    type: 'task.completed',
    taskId: task.id,
    by: c.by,
    ...(c.decision !== undefined ? { decision: c.decision } : {}),
  });
  r.log({
    type: 'task.completed',
    node: task.node,
    taskId: task.id,
    by: c.by,
    ...(c.decision !== undefined ? { decision: c.decision } : {}),
    ...(c.opinion !== undefined ? { opinion: c.opinion } : {}),
  });
  const vars = { ...(c.variables ?? {}), ...(c.decision !== undefined && !t.mi ? { decision: c.decision } : {}) };
  r.setVars(t.scope, vars);
  const before = r.createdTasks.length;
  activityDone(r, t, c.decision);
  drain(r);
  r.s.completions[task.id] = {
    taskId: task.id,
    node: task.node,
    scope: t.scope,
    by: c.by,
    createdTasks: r.createdTasks.slice(before),
    ...(t.vars ? { vars: t.vars } : {}),
  };
}

function fireTimer(r: Run, timerId: string): void {
  const tm = r.s.timers[timerId];
  if (!tm) throw new AppError('NOT_FOUND', `timer ${timerId} is not pending`);
  delete r.s.timers[timerId];
  const tok = r.s.tokens[tm.token];
  if (!tok) return;
  const n = r.defOfScope(tok.scope).nodes[tm.node];
  if (tm.remaining > 0 && n?.kind === 'boundaryEvent' && n.cancelActivity === false) {
    scheduleTimer(r, {
      id: r.id('m'),
      node: tm.node,
      token: tm.token,
      spec: tm.spec,
      iteration: tm.iteration + 1,
      remaining: tm.remaining - 1,
    });
  }
  if (tm.remaining > 0 && n?.kind === 'intermediateCatchEvent' && tok.node === n.id) {
    // A timeCycle on a catch event: every occurrence but the last sends a new token on; the
    // waiting token itself leaves with the last one.
    scheduleTimer(r, {
      id: r.id('m'),
      node: tm.node,
      token: tm.token,
      spec: tm.spec,
      iteration: tm.iteration + 1,
      remaining: tm.remaining - 1,
    });
    const copy = newToken(r, n.id, tok.scope, tok.vars ? { vars: { ...tok.vars } } : {});
    leave(r, copy, n);
    return;
  }
  triggerEvent(r, tm.token, tm.node);
}

function serviceResult(r: Run, c: Extract<Command, { type: 'completeService' | 'failService' }>): void {
  const t = Object.values(r.s.tokens).find((x) => x.job === c.jobId);
  if (!t) throw new AppError('NOT_FOUND', `no service call ${c.jobId} is pending`);
  delete t.job;
  const attempt = t.attempt ?? 1;
  delete t.attempt;
  if (c.type === 'completeService') {
    r.setVars(t.scope, c.variables);
    return activityDone(r, t);
  }
  const n = r.node(t);
  if (c.errorCode !== undefined) return throwError(r, t, c.errorCode, c.message ?? c.errorCode);
  if (attempt <= (n.retries ?? 0)) return runHandler(r, t, n, attempt + 1);
  throw new RuntimeIncident(
    n.id,
    `service ${n.handler ?? ''} failed after ${attempt} attempt(s): ${c.message ?? 'no message'}`,
  );
}
