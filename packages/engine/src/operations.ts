import { AppError } from '@guotu/domain';
import type { Command } from './commands.ts';
import type { Definition, FlowNode } from './model.ts';
import { addSigner, removeSigner } from './multi-instance.ts';
import type { Run } from './run-context.ts';
import { cancelToken, drain, newToken } from './runtime.ts';
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

const deny = (why: string): never => {
  throw new AppError('OPERATION_NOT_ALLOWED', why);
};

function openTask(r: Run, taskId: string): Task {
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

const mustHold = (task: Task, by: string): void => {
  if (task.assignee !== by) deny(`task ${task.id} is not held by ${by}`);
};

/** The token that represents the whole step (the multi-instance outer token for a countersign). */
function stepToken(s: InstanceState, task: Task): Token {
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

function ancestors(def: Definition, nodeId: string): Set<string> {
  const seen = new Set<string>();
  const stack = [nodeId];
  while (stack.length > 0) {
    const n = def.nodes[stack.pop() ?? ''];
    if (!n) continue;
    for (const f of n.incoming) {
      const src = def.flows[f]?.source ?? '';
      if (!seen.has(src)) {
        seen.add(src);
        stack.push(src);
      }
    }
  }
  return seen;
}

/**
 * 回退 targets: user tasks upstream of the task's step, in the same (sub)process, that have
 * been completed in this instance — most recent first. Works from a parallel branch or a
 * countersign (the whole countersign step is returned).
 */
export function legalReturnTargets(
  definition: Definition,
  state: InstanceState,
  taskId: string,
): { node: string; name?: string }[] {
  const task = state.tasks[taskId];
  if (!task) return [];
  const up = ancestors(definition, task.node);
  const done = new Set<string>();
  const out: { node: string; name?: string }[] = [];
  for (const h of [...state.history].reverse()) {
    if (h.type !== 'task.completed' || h.node === undefined || done.has(h.node) || !up.has(h.node)) continue;
    const n = definition.nodes[h.node];
    if (n?.kind !== 'userTask' || n.parent !== definition.nodes[task.node]?.parent) continue;
    done.add(h.node);
    out.push({ node: h.node, ...(n.name !== undefined ? { name: n.name } : {}) });
  }
  return out;
}

/** Does going from `from` to `to` pass a forking gateway (so sibling branches must be withdrawn)? */
function crossesFork(def: Definition, from: string, to: string): boolean {
  const before = ancestors(def, to);
  return [...before].some((id) => {
    const n: FlowNode | undefined = def.nodes[id];
    return (
      (n?.kind === 'parallelGateway' || n?.kind === 'inclusiveGateway') &&
      n.outgoing.length > 1 &&
      ancestors(def, id).has(from)
    );
  });
}

function lastCompleter(s: InstanceState, node: string): string | undefined {
  return [...s.history].reverse().find((h) => h.type === 'task.completed' && h.node === node)?.by;
}

function restartAt(r: Run, scope: string, node: string, assignee: string | undefined): void {
  const before = r.createdTasks.length;
  r.agenda.push(newToken(r, node, scope).id);
  drain(r);
  for (const id of r.createdTasks.slice(before)) {
    const t = r.s.tasks[id];
    if (t && t.node === node && assignee !== undefined) t.assignee = assignee;
  }
}

function returnTask(r: Run, c: Extract<Command, { type: 'return' }>): void {
  const task = openTask(r, c.taskId);
  if (task.assignee !== undefined) mustHold(task, c.by);
  if (!legalReturnTargets(r.def, r.s, task.id).some((x) => x.node === c.target))
    deny(`'${c.target}' is not a legal return target for task ${task.id}`);
  const tok = stepToken(r.s, task);
  const scope = tok.scope;
  r.log({
    type: 'task.returned',
    node: task.node,
    taskId: task.id,
    by: c.by,
    ...(c.opinion !== undefined ? { opinion: c.opinion } : {}),
    detail: c.target,
  });
  if (crossesFork(r.def, c.target, task.node)) {
    for (const x of Object.values(r.s.tokens)) if (x.scope === scope) cancelToken(r, x, 'returned');
  } else cancelToken(r, tok, 'returned');
  restartAt(r, scope, c.target, lastCompleter(r.s, c.target));
}

function withdraw(r: Run, c: Extract<Command, { type: 'withdraw' }>): void {
  const rec = r.s.completions[c.taskId];
  if (!rec) throw new AppError('NOT_FOUND', `no completed task ${c.taskId} to withdraw`);
  if (rec.by !== c.by) deny('only the person who completed a step can withdraw it');
  if (rec.vars?.loopCounter !== undefined)
    deny('a single countersignature cannot be withdrawn; ask for a return instead');
  if (rec.createdTasks.length === 0) deny('the completion did not create a next step that could be withdrawn');
  for (const id of rec.createdTasks) {
    const next = r.s.tasks[id];
    if (!next) deny('the next step has already acted');
    else if (next.claimed === true || next.delegation !== undefined) deny('the next step has already been taken up');
  }
  if (!r.s.scopes[rec.scope]) deny('the step is no longer in a running scope');
  for (const id of rec.createdTasks) {
    const next = r.s.tasks[id];
    if (next) cancelToken(r, stepToken(r.s, next), 'withdrawn');
  }
  delete r.s.completions[c.taskId];
  r.log({ type: 'task.withdrawn', node: rec.node, taskId: rec.taskId, by: c.by });
  restartAt(r, rec.scope, rec.node, c.by);
}

function jump(r: Run, c: Extract<Command, { type: 'jump' }>): void {
  const target = r.def.nodes[c.target];
  if (!target) throw new AppError('NOT_FOUND', `no node '${c.target}'`);
  if (target.kind === 'boundaryEvent' || target.kind === 'startEvent') deny('cannot jump to a start or boundary event');
  let scope = r.s.rootScope;
  if (c.taskId !== undefined) {
    const tok = stepToken(r.s, openTask(r, c.taskId));
    scope = tok.scope;
    cancelToken(r, tok, 'jumped');
  } else for (const x of Object.values(r.s.tokens)) if (x.scope === scope) cancelToken(r, x, 'jumped');
  const container = r.s.scopes[scope]?.container;
  if (target.parent !== container) deny(`'${c.target}' is not in the same (sub)process`);
  r.log({
    type: 'instance.jumped',
    by: c.by,
    node: c.target,
    ...(c.reason !== undefined ? { opinion: c.reason } : {}),
  });
  restartAt(r, scope, c.target, undefined);
}
