import { parseCycle } from './iso-duration.ts';
import type { FlowNode, TimerSpec } from './model.ts';
import type { Run } from './run-context.ts';
import type { Scope, Token } from './state.ts';
import { RuntimeIncident, activityDone, cancelToken, consume, leave, newToken, scopeMaybeDone } from './runtime.ts';

/*
 * Events: timers and message/signal subscriptions held by tokens, boundary events, throw
 * events, BPMN error propagation and instance failure.
 */
/** Registers timers and message/signal subscriptions for an event node on behalf of a token. */
export function subscribe(r: Run, t: Token, n: FlowNode, nodeId: string): void {
  const ev = n.kind === 'receiveTask' ? n.event : n.event;
  if (!ev) return;
  if (ev.type === 'timer') {
    const cycle = ev.timer.kind === 'cycle' ? parseCycle(ev.timer.value) : undefined;
    if (ev.timer.kind === 'cycle' && !cycle) throw new RuntimeIncident(n.id, `invalid timeCycle '${ev.timer.value}'`);
    scheduleTimer(r, {
      id: r.id('m'),
      node: nodeId,
      token: t.id,
      spec: ev.timer,
      iteration: 1,
      remaining: Math.min((cycle?.repetitions ?? 1) - 1, 1000),
    });
  } else if (ev.type === 'message' || ev.type === 'signal') {
    const id = r.id('q');
    r.s.subscriptions[id] = {
      id,
      kind: ev.type,
      name: ev.type === 'message' ? ev.message : ev.signal,
      node: nodeId,
      token: t.id,
    };
  }
}

export function scheduleTimer(
  r: Run,
  timer: { id: string; node: string; token: string; spec: TimerSpec; iteration: number; remaining: number },
): void {
  const dueAt = r.dueAt(timer.spec, timer.iteration);
  r.s.timers[timer.id] = { ...timer, ...(dueAt !== undefined ? { dueAt } : {}) };
  r.emit({
    type: 'timer.schedule',
    timerId: timer.id,
    spec: timer.spec,
    iteration: timer.iteration,
    ...(dueAt !== undefined ? { dueAt } : {}),
  });
}

export function registerBoundaries(r: Run, t: Token, n: FlowNode): void {
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

export function throwEvent(r: Run, t: Token, n: FlowNode): void {
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

/** A thrown signal reaches this instance's waiters now; `signal.thrown` lets the host broadcast it further. */
export function broadcastSignal(r: Run, name: string, emit = true): void {
  if (emit) r.emit({ type: 'signal.thrown', name });
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

export function terminateScope(r: Run, t: Token): void {
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
      const b = n.boundaries
        .map((id) => def.nodes[id])
        .find((x) => x?.event?.type === 'error' && (x.event.errorCode === undefined || x.event.errorCode === code));
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

export function failInstance(
  r: Run,
  error: { kind: 'bpmnError' | 'runtime'; code?: string; message: string; node?: string },
): void {
  for (const x of Object.values(r.s.tokens)) cancelToken(r, x, 'instance failed');
  r.s.scopes = {};
  r.s.status = 'failed';
  r.s.error = error;
  r.agenda.length = 0;
  r.emit({
    type: 'instance.failed',
    ...(error.code !== undefined ? { errorCode: error.code } : {}),
    message: error.message,
  });
  r.log({ type: 'instance.failed', ...(error.node !== undefined ? { node: error.node } : {}), detail: error.message });
}
