import { parseCycle } from './iso-duration.ts';
import type { FlowNode, TimerSpec } from './model.ts';
import { BpmnError } from './run-context.ts';
import type { Run } from './run-context.ts';
import type { Scope, Token, Variables } from './state.ts';
import { completeMultiInstanceInner, startMultiInstance } from './multi-instance.ts';

const ACTIVITIES = new Set(['userTask', 'serviceTask', 'scriptTask', 'sendTask', 'receiveTask', 'manualTask', 'task', 'subProcess', 'callActivity']);

/** Raised for a runtime incident (no flow to take, bad cardinality): the instance fails. */
export class RuntimeIncident extends Error {
  override readonly name = 'RuntimeIncident';
  constructor(readonly node: string, message: string) {
    super(message);
  }
}

export function newToken(r: Run, node: string, scope: string, extra: Partial<Token> = {}): Token {
  const t: Token = { id: r.id('k'), node, scope, ...extra };
  r.s.tokens[t.id] = t;
  return t;
}

/** Runs the agenda to quiescence, re-trying inclusive joins whenever nothing else can move. */
export function drain(r: Run): void {
  for (;;) {
    while (r.agenda.length > 0 && r.s.status === 'running') {
      const id = r.agenda.shift() ?? '';
      const t = r.s.tokens[id];
      if (t) enter(r, t);
    }
    if (r.s.status !== 'running' || !retryInclusiveJoins(r)) return;
  }
}

function enter(r: Run, t: Token): void {
  const n = r.node(t);
  if (ACTIVITIES.has(n.kind) && n.multiInstance && !t.mi) {
    registerBoundaries(r, t, n);
    startMultiInstance(r, t, n);
    return;
  }
  if (ACTIVITIES.has(n.kind) && !t.mi) registerBoundaries(r, t, n);
  execNode(r, t, n);
}

export function execNode(r: Run, t: Token, n: FlowNode): void {
  switch (n.kind) {
    case 'startEvent':
    case 'manualTask':
    case 'task':
      return leave(r, t, n);
    case 'intermediateThrowEvent':
    case 'endEvent':
      return throwEvent(r, t, n);
    case 'intermediateCatchEvent':
      t.wait = 'event';
      return subscribe(r, t, n, n.id);
    case 'boundaryEvent':
      return leave(r, t, n);
    case 'sendTask':
      r.emit({ type: 'message.send', name: n.event?.type === 'message' ? n.event.message : n.id, node: n.id });
      return activityDone(r, t);
    case 'receiveTask':
      t.wait = 'activity';
      return subscribe(r, t, n, n.id);
    case 'userTask':
      t.wait = 'activity';
      return createUserTask(r, t, n);
    case 'scriptTask':
    case 'serviceTask':
      return runHandler(r, t, n, 1);
    case 'exclusiveGateway':
    case 'inclusiveGateway':
    case 'parallelGateway':
      if (n.incoming.length > 1) {
        t.wait = 'join';
        return tryJoin(r, n, t.scope);
      }
      return split(r, t, n);
    case 'eventBasedGateway':
      t.wait = 'event';
      for (const fid of n.outgoing) {
        const target = r.defOfScope(t.scope).flows[fid]?.target ?? '';
        const tn = r.defOfScope(t.scope).nodes[target];
        if (tn) subscribe(r, t, tn, tn.id);
      }
      return;
    case 'subProcess': {
      t.wait = 'activity';
      const sc = { id: r.id('s'), kind: 'subProcess' as const, container: n.id, parentToken: t.id, vars: {} };
      r.s.scopes[sc.id] = sc;
      const start = n.starts?.[0] ?? '';
      r.agenda.push(newToken(r, start, sc.id).id);
      return;
    }
    case 'callActivity':
      return startCall(r, t, n);
  }
}

function createUserTask(r: Run, t: Token, n: FlowNode): void {
  const u = n.user ?? { candidateRoles: [] };
  const assignee = u.assignee !== undefined ? r.evalText(u.assignee, t) : null;
  const task = {
    id: r.id('t'),
    node: n.id,
    token: t.id,
    candidateRoles: [...u.candidateRoles],
    createdAt: r.now,
    ...(n.name !== undefined ? { name: n.name } : {}),
    ...(typeof assignee === 'string' && assignee !== '' ? { assignee } : typeof assignee === 'number' ? { assignee: String(assignee) } : {}),
    ...(u.orgScope !== undefined ? { orgScope: u.orgScope } : {}),
    ...(u.formKey !== undefined ? { formKey: u.formKey } : {}),
    ...(u.timeLimit !== undefined ? { timeLimit: u.timeLimit } : {}),
    ...(u.calendar !== undefined ? { calendar: u.calendar } : {}),
  };
  r.s.tasks[task.id] = task;
  r.createdTasks.push(task.id);
  r.emit({ type: 'task.created', task });
  r.log({ type: 'task.created', node: n.id, taskId: task.id });
}

/** Runs a registered synchronous handler, or asks the host to (service.invoke). */
export function runHandler(r: Run, t: Token, n: FlowNode, attempt: number): void {
  const handler = r.opts.handlers?.[n.handler ?? ''];
  if (!handler) {
    const jobId = r.id('j');
    t.wait = 'service';
    t.job = jobId;
    t.attempt = attempt;
    r.emit({ type: 'service.invoke', jobId, handler: n.handler ?? '', node: n.id, attempt, variables: r.visibleVars(t) });
    return;
  }
  let out: { variables?: Variables } | undefined | void;
  try {
    out = handler({ node: n.id, variables: r.visibleVars(t) });
  } catch (e) {
    if (e instanceof BpmnError) return throwError(r, t, e.code, e.message);
    if (attempt <= (n.retries ?? 0)) return runHandler(r, t, n, attempt + 1);
    throw new RuntimeIncident(n.id, `handler ${n.handler ?? ''} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  r.setVars(t.scope, out?.variables);
  activityDone(r, t);
}

function startCall(r: Run, t: Token, n: FlowNode): void {
  const own = r.defOfScope(t.scope);
  const calledId = n.calledElement ?? '';
  let defRef: string | undefined;
  let proc = own.processes[calledId];
  if (!proc) {
    const d = r.opts.loadDefinition?.(calledId, { kind: n.versionBinding ?? 'latest', ...(n.calledVersion !== undefined ? { version: n.calledVersion } : {}), callerKey: own.key, callerVersion: own.version });
    if (!d) throw new RuntimeIncident(n.id, `called process '${calledId}' is not deployed`);
    defRef = `${d.key}@${d.version}`;
    r.registerDefinition(defRef, d);
    proc = d.processes[d.mainProcess];
  }
  const start = proc?.starts[0];
  if (!proc || start === undefined) throw new RuntimeIncident(n.id, `called process '${calledId}' has no start event`);
  const visible = r.visibleVars(t);
  const vars: Variables = {};
  if (n.inputs) for (const m of n.inputs) vars[m.target] = (visible[m.source] ?? null);
  else Object.assign(vars, visible);
  t.wait = 'activity';
  const sc = { id: r.id('s'), kind: 'callActivity' as const, container: proc.id, parentToken: t.id, vars, ...(defRef ? { def: defRef } : {}) };
  r.s.scopes[sc.id] = sc;
  r.agenda.push(newToken(r, start, sc.id).id);
}

/** Registers timers and message/signal subscriptions for an event node on behalf of a token. */
export function subscribe(r: Run, t: Token, n: FlowNode, nodeId: string): void {
  const ev = n.kind === 'receiveTask' ? n.event : n.event;
  if (!ev) return;
  if (ev.type === 'timer') {
    const cycle = ev.timer.kind === 'cycle' ? parseCycle(ev.timer.value) : undefined;
    if (ev.timer.kind === 'cycle' && !cycle) throw new RuntimeIncident(n.id, `invalid timeCycle '${ev.timer.value}'`);
    scheduleTimer(r, { id: r.id('m'), node: nodeId, token: t.id, spec: ev.timer, iteration: 1, remaining: Math.min((cycle?.repetitions ?? 1) - 1, 1000) });
  } else if (ev.type === 'message' || ev.type === 'signal') {
    const id = r.id('q');
    r.s.subscriptions[id] = { id, kind: ev.type, name: ev.type === 'message' ? ev.message : ev.signal, node: nodeId, token: t.id };
  }
}

export function scheduleTimer(r: Run, timer: { id: string; node: string; token: string; spec: TimerSpec; iteration: number; remaining: number }): void {
  const dueAt = r.dueAt(timer.spec, timer.iteration);
  r.s.timers[timer.id] = { ...timer, ...(dueAt !== undefined ? { dueAt } : {}) };
  r.emit({ type: 'timer.schedule', timerId: timer.id, spec: timer.spec, iteration: timer.iteration, ...(dueAt !== undefined ? { dueAt } : {}) });
}

function registerBoundaries(r: Run, t: Token, n: FlowNode): void {
  const def = r.defOfScope(t.scope);
  for (const b of n.boundaries) {
    const bn = def.nodes[b];
    if (bn && bn.event?.type !== 'error') subscribe(r, t, bn, bn.id);
  }
}

/** Removes every timer and subscription held by a token (it left its activity or event). */
export function clearWaits(r: Run, tokenId: string): void {
  for (const tm of Object.values(r.s.timers)) {
    if (tm.token !== tokenId) continue;
    delete r.s.timers[tm.id];
    r.emit({ type: 'timer.cancel', timerId: tm.id });
  }
  for (const sub of Object.values(r.s.subscriptions)) if (sub.token === tokenId) delete r.s.subscriptions[sub.id];
}

/** An activity finished for token t (task completed, handler ran, subprocess ended). */
export function activityDone(r: Run, t: Token, decision?: string): void {
  clearWaits(r, t.id);
  delete t.wait;
  if (t.mi) return completeMultiInstanceInner(r, t, decision);
  leave(r, t, r.node(t));
}

/** Takes the outgoing flows of a node (activity semantics: conditional flows and default). */
export function leave(r: Run, t: Token, n: FlowNode): void {
  delete t.wait;
  if (n.kind === 'exclusiveGateway' || n.kind === 'inclusiveGateway' || n.kind === 'parallelGateway') return split(r, t, n);
  const def = r.defOfScope(t.scope);
  const flows = n.outgoing.map((f) => def.flows[f]).filter((f) => f !== undefined);
  if (flows.length === 0) return consume(r, t);
  // Unconditional flows always fire; the default fires only when no conditional flow is true.
  const plain = flows.filter((f) => f.id !== n.defaultFlow && !f.condition);
  const chosen = flows.filter((f) => f.id !== n.defaultFlow && f.condition !== undefined && r.evalExpr(f.condition, t, t.scope) === true);
  const dflt = flows.find((f) => f.id === n.defaultFlow);
  const take = [...plain, ...(chosen.length > 0 ? chosen : dflt ? [dflt] : [])];
  if (take.length === 0) throw new RuntimeIncident(n.id, `no outgoing sequence flow of '${n.id}' can be taken`);
  move(r, t, take.map((f) => f.id));
}

function split(r: Run, t: Token, n: FlowNode): void {
  const def = r.defOfScope(t.scope);
  const flows = n.outgoing.map((f) => def.flows[f]).filter((f) => f !== undefined);
  if (flows.length === 0) return consume(r, t);
  if (n.kind === 'parallelGateway') return move(r, t, flows.map((f) => f.id));
  const ok = flows.filter((f) => f.id !== n.defaultFlow && (!f.condition || r.evalExpr(f.condition, t, t.scope) === true));
  const dflt = flows.find((f) => f.id === n.defaultFlow);
  const take = n.kind === 'exclusiveGateway' ? ok.slice(0, 1) : ok;
  if (take.length === 0 && dflt) take.push(dflt);
  if (take.length === 0) throw new RuntimeIncident(n.id, `no outgoing sequence flow of gateway '${n.id}' matches`);
  move(r, t, take.map((f) => f.id));
}

function move(r: Run, t: Token, flowIds: string[]): void {
  const def = r.defOfScope(t.scope);
  flowIds.forEach((fid, i) => {
    const f = def.flows[fid];
    if (!f) return;
    const tok = i === 0 ? t : newToken(r, f.target, t.scope, t.vars ? { vars: { ...t.vars } } : {});
    tok.node = f.target;
    tok.via = f.id;
    delete tok.wait;
    r.agenda.push(tok.id);
  });
}

/** A token ends: remove it and complete its scope if nothing else runs there. */
export function consume(r: Run, t: Token): void {
  clearWaits(r, t.id);
  delete r.s.tokens[t.id];
  scopeMaybeDone(r, t.scope);
}

export function scopeMaybeDone(r: Run, scopeId: string): void {
  const sc = r.s.scopes[scopeId];
  if (!sc || sc.kind === 'multiInstance') return;
  if (Object.values(r.s.tokens).some((x) => x.scope === scopeId)) return;
  delete r.s.scopes[scopeId];
  if (sc.kind === 'process') {
    r.s.status = 'completed';
    r.emit({ type: 'instance.completed' });
    r.log({ type: 'instance.completed' });
    return;
  }
  const parent = sc.parentToken !== undefined ? r.s.tokens[sc.parentToken] : undefined;
  if (!parent) return;
  if (sc.kind === 'callActivity') {
    const caller = r.node(parent);
    const out: Variables = {};
    if (caller.outputs) for (const m of caller.outputs) out[m.target] = (sc.vars[m.source] ?? null);
    else Object.assign(out, sc.vars);
    r.setVars(parent.scope, out);
  }
  activityDone(r, parent);
}

function throwEvent(r: Run, t: Token, n: FlowNode): void {
  const ev = n.event ?? { type: 'none' };
  switch (ev.type) {
    case 'error':
      return throwError(r, t, ev.errorCode ?? '', `error end event '${n.id}'`);
    case 'terminate':
      return terminateScope(r, t);
    case 'signal':
      broadcastSignal(r, ev.signal);
      break;
    case 'message':
      r.emit({ type: 'message.send', name: ev.message, node: n.id });
      break;
    case 'none':
    case 'timer':
      break;
  }
  if (n.kind === 'endEvent') consume(r, t);
  else leave(r, t, n);
}

function broadcastSignal(r: Run, name: string): void {
  for (const sub of Object.values(r.s.subscriptions)) {
    if (sub.kind === 'signal' && sub.name === name) triggerSubscription(r, sub.id);
  }
}

/** A waiting catch (timer, message, signal) happened for `node` on behalf of a token. */
export function triggerEvent(r: Run, tokenId: string, nodeId: string): void {
  const t = r.s.tokens[tokenId];
  if (!t) return;
  const def = r.defOfScope(t.scope);
  const n = def.nodes[nodeId];
  if (!n) return;
  if (n.kind === 'boundaryEvent') {
    const b = newToken(r, n.id, t.scope);
    if (n.cancelActivity !== false) cancelToken(r, t, 'interrupted by boundary event');
    r.agenda.push(b.id);
    return;
  }
  if (n.kind === 'receiveTask' && t.node === nodeId) return activityDone(r, t);
  clearWaits(r, t.id);
  t.node = n.id;
  if (n.kind === 'receiveTask') return activityDone(r, t);
  leave(r, t, n);
}

export function triggerSubscription(r: Run, subId: string): void {
  const sub = r.s.subscriptions[subId];
  if (!sub) return;
  const n = r.s.tokens[sub.token] ? r.defOfScope(r.token(sub.token).scope).nodes[sub.node] : undefined;
  if (n?.kind !== 'boundaryEvent' || n.cancelActivity !== false) delete r.s.subscriptions[subId];
  triggerEvent(r, sub.token, sub.node);
}

/** Removes a token and everything below it: tasks, timers, child scopes and their tokens. */
export function cancelToken(r: Run, t: Token, reason: string): void {
  for (const sc of Object.values(r.s.scopes)) {
    if (sc.parentToken !== t.id) continue;
    for (const child of Object.values(r.s.tokens)) if (child.scope === sc.id) cancelToken(r, child, reason);
    delete r.s.scopes[sc.id];
  }
  for (const task of Object.values(r.s.tasks)) {
    if (task.token !== t.id) continue;
    delete r.s.tasks[task.id];
    r.emit({ type: 'task.cancelled', taskId: task.id, reason });
  }
  clearWaits(r, t.id);
  delete r.s.tokens[t.id];
}

function terminateScope(r: Run, t: Token): void {
  const scopeId = t.scope;
  for (const x of Object.values(r.s.tokens)) if (x.scope === scopeId) cancelToken(r, x, 'terminate end event');
  const sc = r.s.scopes[scopeId];
  if (sc?.kind === 'process') {
    delete r.s.scopes[scopeId];
    r.s.status = 'terminated';
    r.emit({ type: 'instance.terminated', reason: 'terminate end event' });
    r.log({ type: 'instance.terminated', node: t.node });
    return;
  }
  scopeMaybeDone(r, scopeId);
}

/** Propagates a BPMN error to the nearest matching error boundary, or fails the instance. */
export function throwError(r: Run, from: Token, code: string, message: string): void {
  let t: Token | undefined = from;
  while (t) {
    const n = r.node(t);
    if (!t.mi && n.kind !== 'boundaryEvent') {
      const def = r.defOfScope(t.scope);
      const b = n.boundaries.map((id) => def.nodes[id]).find((x) => x?.event?.type === 'error' && (x.event.errorCode === undefined || x.event.errorCode === code));
      if (b) return triggerErrorBoundary(r, t, b);
    }
    const sc: Scope | undefined = r.s.scopes[t.scope];
    if (!sc || sc.kind === 'process') break;
    t = sc.parentToken !== undefined ? r.s.tokens[sc.parentToken] : undefined;
  }
  failInstance(r, { kind: 'bpmnError', code, message, node: from.node });
}

function triggerErrorBoundary(r: Run, t: Token, b: FlowNode): void {
  const bt = newToken(r, b.id, t.scope);
  cancelToken(r, t, `error caught by ${b.id}`);
  r.agenda.push(bt.id);
}

export function failInstance(r: Run, error: { kind: 'bpmnError' | 'runtime'; code?: string; message: string; node?: string }): void {
  for (const x of Object.values(r.s.tokens)) cancelToken(r, x, 'instance failed');
  r.s.scopes = {};
  r.s.status = 'failed';
  r.s.error = error;
  r.agenda.length = 0;
  r.emit({ type: 'instance.failed', ...(error.code !== undefined ? { errorCode: error.code } : {}), message: error.message });
  r.log({ type: 'instance.failed', ...(error.node !== undefined ? { node: error.node } : {}), detail: error.message });
}

function tryJoin(r: Run, n: FlowNode, scopeId: string): void {
  const waiting = Object.values(r.s.tokens).filter((x) => x.scope === scopeId && x.node === n.id && x.wait === 'join');
  if (waiting.length === 0) return;
  let fire: Token[] | undefined;
  if (n.kind === 'exclusiveGateway') fire = waiting.slice(0, 1);
  else if (n.kind === 'parallelGateway') {
    const picked = n.incoming.map((f) => waiting.find((x) => x.via === f));
    if (picked.every((x) => x !== undefined)) fire = picked;
  } else if (!canStillArrive(r, n, scopeId)) {
    const seen = new Set<string>();
    fire = waiting.filter((x) => !seen.has(x.via ?? '') && seen.add(x.via ?? ''));
  }
  if (!fire) return;
  const [first, ...rest] = fire;
  if (!first) return;
  for (const x of rest) delete r.s.tokens[x.id];
  delete first.wait;
  split(r, first, n);
}

/** Inclusive join rule: some token not waiting here can still reach the gateway. */
function canStillArrive(r: Run, join: FlowNode, scopeId: string): boolean {
  const def = r.defOfScope(scopeId);
  const others = Object.values(r.s.tokens).filter((x) => x.scope === scopeId && !(x.node === join.id && x.wait === 'join'));
  const seen = new Set<string>();
  const stack = others.map((x) => x.node);
  while (stack.length > 0) {
    const id = stack.pop() ?? '';
    if (id === join.id) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    const node = def.nodes[id];
    if (!node) continue;
    for (const f of node.outgoing) stack.push(def.flows[f]?.target ?? '');
    stack.push(...node.boundaries);
  }
  return false;
}

function retryInclusiveJoins(r: Run): boolean {
  const before = r.agenda.length;
  const waiting = Object.values(r.s.tokens).filter((x) => x.wait === 'join');
  const done = new Set<string>();
  for (const t of waiting) {
    const key = `${t.scope}|${t.node}`;
    if (done.has(key) || !r.s.tokens[t.id]) continue;
    done.add(key);
    const n = r.node(t);
    if (n.kind === 'inclusiveGateway') tryJoin(r, n, t.scope);
  }
  return r.agenda.length > before;
}
