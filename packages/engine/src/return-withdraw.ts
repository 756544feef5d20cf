import { AppError } from '@guotu/domain';
import type { Command } from './commands.ts';
import type { Definition, FlowNode } from './model.ts';
import { deny, mustHold, openTask, stepToken } from './operations.ts';
import type { Run } from './run-context.ts';
import { cancelToken, drain, newToken } from './runtime.ts';
import type { InstanceState } from './state.ts';

/* 回退 (return), 撤回 (withdraw) and 跳转 (jump): operations that move a case backwards or sideways. */

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

export function returnTask(r: Run, c: Extract<Command, { type: 'return' }>): void {
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

export function withdraw(r: Run, c: Extract<Command, { type: 'withdraw' }>): void {
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

export function jump(r: Run, c: Extract<Command, { type: 'jump' }>): void {
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
