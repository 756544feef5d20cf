import { AppError } from '@guotu/domain';
import type { Command } from './commands.ts';
import { addSigner, removeSigner } from './multi-instance.ts';
import { jump, returnTask, withdraw } from './return-withdraw.ts';
import type { Run } from './run-context.ts';
import type { InstanceState, Task, Token } from './state.ts';

type Op = Exclude<
  Command,
  {
    type:
      | 'start'
      | 'completeTask'
      | 'fireTimer'
      | 'correlateMessage'
      | 'signal'
      | 'completeService'
      | 'failService'
      | 'terminate'
      | 'suspend'
      | 'resume';
  }
>;

export const deny = (why: string): never => {
  throw new AppError('OPERATION_NOT_ALLOWED', why);
};

export function openTask(r: Run, taskId: string): Task {
  const t = r.s.tasks[taskId];
  if (!t) throw new AppError('NOT_FOUND', `task ${taskId} not found or no longer open`);
  return t;
}

function updated(
  r: Run,
  task: Task,
  type: string,
  by: string,
  extra: { opinion?: string; detail?: string } = {},
): void {
  r.emit({ type: 'task.updated', task: { ...task } });
  r.log({
    type,
    node: task.node,
    taskId: task.id,
    by,
    ...(extra.opinion !== undefined ? { opinion: extra.opinion } : {}),
    ...(extra.detail !== undefined ? { detail: extra.detail } : {}),
  });
}

export const mustHold = (task: Task, by: string): void => {
  if (task.assignee !== by) deny(`task ${task.id} is not held by ${by}`);
};

/** The token that represents the whole step (the multi-instance outer token for a countersign). */
export function stepToken(s: InstanceState, task: Task): Token {
  const t = s.tokens[task.token];
  if (!t) throw new AppError('CONFLICT', `task ${task.id} has no token`);
  if (!t.mi) return t;
  const outer = s.tokens[s.scopes[t.scope]?.parentToken ?? ''];
  if (!outer) throw new AppError('CONFLICT', `countersign of task ${task.id} has no body`);
  return outer;
}

export function approvalOperation(r: Run, c: Op): void {
  switch (c.type) {
    case 'claim':
      return claimOp(r, c);
    case 'unclaim':
      return unclaimOp(r, c);
    case 'transfer':
      return transferOp(r, c);
    case 'delegate':
      return delegateOp(r, c);
    case 'resolve':
      return resolveOp(r, c);
    case 'urge':
      return urgeOp(r, c);
    case 'circulate':
      return circulateOp(r, c);
    case 'markRead':
      return markReadOp(r, c);
    case 'addSigner':
    case 'removeSigner':
      return signerOp(r, c);
    case 'return':
      return returnTask(r, c);
    case 'withdraw':
      return withdraw(r, c);
    case 'jump':
      return jump(r, c);
  }
}

function claimOp(r: Run, c: Extract<Op, { type: 'claim' }>): void {
  const task = openTask(r, c.taskId);
  if (task.assignee !== undefined) deny(`task ${task.id} is already held by ${task.assignee}`);
  if (c.roles && task.candidateRoles.length > 0 && !task.candidateRoles.some((x) => c.roles?.includes(x)))
    deny(`${c.by} has none of the candidate roles`);
  task.assignee = c.by;
  task.claimed = true;
  return updated(r, task, 'task.claimed', c.by);
}

function unclaimOp(r: Run, c: Extract<Op, { type: 'unclaim' }>): void {
  const task = openTask(r, c.taskId);
  if (!task.claimed) deny('only a claimed task can be unclaimed');
  mustHold(task, c.by);
  delete task.assignee;
  delete task.claimed;
  return updated(r, task, 'task.unclaimed', c.by);
}

function transferOp(r: Run, c: Extract<Op, { type: 'transfer' }>): void {
  const task = openTask(r, c.taskId);
  mustHold(task, c.by);
  if (task.delegation === 'pending') deny('a delegated task cannot be transferred');
  task.assignee = c.to;
  return updated(r, task, 'task.transferred', c.by, {
    ...(c.opinion !== undefined ? { opinion: c.opinion } : {}),
    detail: c.to,
  });
}

function delegateOp(r: Run, c: Extract<Op, { type: 'delegate' }>): void {
  const task = openTask(r, c.taskId);
  mustHold(task, c.by);
  if (task.delegation === 'pending') deny('task is already delegated');
  task.owner = c.by;
  task.assignee = c.to;
  task.delegation = 'pending';
  return updated(r, task, 'task.delegated', c.by, { detail: c.to });
}

function resolveOp(r: Run, c: Extract<Op, { type: 'resolve' }>): void {
  const task = openTask(r, c.taskId);
  if (task.delegation !== 'pending') deny('task is not delegated');
  mustHold(task, c.by);
  task.assignee = task.owner ?? c.by;
  delete task.owner;
  task.delegation = 'resolved';
  r.setVars(r.token(task.token).scope, c.variables);
  return updated(r, task, 'task.resolved', c.by, c.opinion !== undefined ? { opinion: c.opinion } : {});
}

function urgeOp(r: Run, c: Extract<Op, { type: 'urge' }>): void {
  const task = openTask(r, c.taskId);
  const to = task.assignee !== undefined ? [task.assignee] : task.candidateRoles.map((x) => `role:${x}`);
  r.emit({
    type: 'notify',
    kind: 'urge',
    to,
    taskId: task.id,
    ...(c.message !== undefined ? { message: c.message } : {}),
  });
  r.log({ type: 'task.urged', node: task.node, taskId: task.id, by: c.by });
  return;
}

function circulateOp(r: Run, c: Extract<Op, { type: 'circulate' }>): void {
  if (c.to.length === 0) deny('circulate needs at least one reader');
  const id = r.id('c');
  r.s.circulations[id] = {
    id,
    from: c.by,
    to: [...c.to],
    readBy: {},
    at: r.now,
    ...(c.taskId !== undefined ? { taskId: c.taskId } : {}),
    ...(c.message !== undefined ? { message: c.message } : {}),
  };
  r.emit({
    type: 'notify',
    kind: 'cc',
    to: [...c.to],
    circulationId: id,
    ...(c.taskId !== undefined ? { taskId: c.taskId } : {}),
    ...(c.message !== undefined ? { message: c.message } : {}),
  });
  r.log({ type: 'circulated', by: c.by, detail: { circulationId: id, to: [...c.to] } });
  return;
}

function markReadOp(r: Run, c: Extract<Op, { type: 'markRead' }>): void {
  const circ = r.s.circulations[c.circulationId];
  if (!circ) throw new AppError('NOT_FOUND', `circulation ${c.circulationId} not found`);
  if (!circ.to.includes(c.by)) deny(`${c.by} is not a reader of ${circ.id}`);
  if (circ.readBy[c.by] !== undefined) return;
  circ.readBy[c.by] = r.now;
  r.log({ type: 'circulation.read', by: c.by, detail: circ.id });
  return;
}

function signerOp(r: Run, c: Extract<Op, { type: 'addSigner' | 'removeSigner' }>): void {
  const task = openTask(r, c.taskId);
  const inner = r.token(task.token);
  const sc = r.s.scopes[inner.scope];
  if (!inner.mi || !sc?.mi) deny(`task ${task.id} is not part of a countersign`);
  const n = r.node(inner);
  if (sc?.mi && c.type === 'addSigner') {
    if (n.multiInstance?.elementVariable === undefined)
      deny('addSigner needs a countersign over a collection with an element variable');
    addSigner(r, sc, n, c.signer);
  } else if (sc?.mi && !removeSigner(r, sc, n, c.signer)) deny(`${c.signer} is not a pending signer`);
  r.log({
    type: c.type === 'addSigner' ? 'signer.added' : 'signer.removed',
    node: n.id,
    taskId: task.id,
    by: c.by,
    detail: c.signer,
  });
  return;
}
