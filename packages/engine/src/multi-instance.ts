import type { FlowNode } from './model.ts';
import type { Run } from './run-context.ts';
import type { Json, MultiInstanceState, Scope, Token } from './state.ts';
import { RuntimeIncident, activityDone, cancelToken, execNode, newToken } from './runtime.ts';

/**
 * Multi-instance bodies (会签 when the activity is a user task). The outer token waits at
 * the activity; a `multiInstance` scope holds the counters and one inner token per running
 * instance, whose `vars` carry loopCounter and the element variable.
 */
export function startMultiInstance(r: Run, t: Token, n: FlowNode): void {
  const mi = n.multiInstance;
  if (!mi) return;
  let items: Json[];
  if (mi.collection !== undefined) {
    const raw = r.evalText(/^\$\{/.test(mi.collection) ? mi.collection : `\${${mi.collection}}`, t);
    if (!Array.isArray(raw))
      throw new RuntimeIncident(n.id, `multi-instance collection '${mi.collection}' is not a list`);
    items = [...raw];
  } else {
    const raw = r.evalText(mi.cardinality ?? '', t);
    const count = typeof raw === 'number' ? raw : Number(raw);
    if (!Number.isInteger(count) || count < 0)
      throw new RuntimeIncident(n.id, `loopCardinality must be a non-negative integer, got '${JSON.stringify(raw)}'`);
    items = Array.from({ length: count }, (_, i) => i);
  }
  if (items.length === 0) return activityDone(r, t);
  t.wait = 'multiInstance';
  const state: MultiInstanceState = {
    node: n.id,
    sequential: mi.sequential,
    total: items.length,
    items,
    next: 0,
    active: 0,
    completed: 0,
    approved: 0,
    rejected: 0,
  };
  const sc: Scope = {
    id: r.id('s'),
    kind: 'multiInstance',
    container: n.parent,
    parentToken: t.id,
    vars: {},
    mi: state,
  };
  r.s.scopes[sc.id] = sc;
  const first = mi.sequential ? 1 : items.length;
  for (let i = 0; i < first; i++) spawnInner(r, sc, n);
}

function syncCounters(sc: Scope, mi: MultiInstanceState): void {
  sc.vars.nrOfInstances = mi.total;
  sc.vars.nrOfActiveInstances = mi.active;
  sc.vars.nrOfCompletedInstances = mi.completed;
}

export function spawnInner(r: Run, sc: Scope, n: FlowNode): Token | undefined {
  const mi = sc.mi;
  if (!mi || mi.next >= mi.items.length) return undefined;
  const index = mi.next++;
  const vars: Record<string, Json> = { loopCounter: index };
  const el = n.multiInstance?.elementVariable;
  if (el !== undefined) vars[el] = mi.items[index] ?? null;
  mi.active++;
  syncCounters(sc, mi);
  const inner = newToken(r, n.id, sc.id, { mi: true, vars });
  execNode(r, inner, n);
  return inner;
}

/** Decides whether a (countersign) body is complete and with which overall decision. */
function verdict(n: FlowNode, mi: MultiInstanceState): { done: boolean; decision?: string } {
  const cs = n.multiInstance?.countersign;
  const all = mi.completed >= mi.total;
  if (!cs) return { done: all };
  switch (cs.mode) {
    case 'all':
      return all ? { done: true, decision: mi.rejected > 0 ? 'reject' : 'approve' } : { done: false };
    case 'any':
      return mi.completed > 0
        ? { done: true, decision: mi.rejected > 0 && mi.approved === 0 ? 'reject' : 'approve' }
        : { done: false };
    case 'veto':
      if (mi.rejected > 0) return { done: true, decision: 'reject' };
      return all ? { done: true, decision: 'approve' } : { done: false };
    case 'ratio':
      if (mi.approved / mi.total >= cs.ratio) return { done: true, decision: 'approve' };
      if (mi.rejected / mi.total > 1 - cs.ratio || all) return { done: true, decision: 'reject' };
      return { done: false };
  }
}

export function completeMultiInstanceInner(r: Run, inner: Token, decision?: string): void {
  const sc = r.s.scopes[inner.scope];
  const mi = sc?.mi;
  const outer = sc?.parentToken !== undefined ? r.s.tokens[sc.parentToken] : undefined;
  if (!sc || !mi || !outer) return;
  const n = r.node(inner);
  mi.completed++;
  mi.active--;
  if (decision === 'reject') mi.rejected++;
  else mi.approved++;
  syncCounters(sc, mi);
  const cond = n.multiInstance?.completionCondition;
  const byCondition = cond !== undefined && r.holds(cond, inner, inner.scope);
  delete r.s.tokens[inner.id];
  const behavior = n.multiInstance?.behavior;
  if (behavior && (behavior.mode === 'none' || mi.completed === 1)) throwImplicitSignal(r, outer, behavior.signal);
  const v = verdict(n, mi);
  if (v.done || byCondition) return finishBody(r, sc, outer, v.decision);
  if (mi.sequential && mi.active === 0) {
    if (mi.next < mi.items.length) spawnInner(r, sc, n);
    else finishBody(r, sc, outer, v.decision);
  } else if (!mi.sequential && mi.active === 0 && mi.next >= mi.items.length) finishBody(r, sc, outer, v.decision);
}

function finishBody(r: Run, sc: Scope, outer: Token, decision: string | undefined): void {
  for (const x of Object.values(r.s.tokens)) if (x.scope === sc.id) cancelToken(r, x, 'multi-instance completed');
  delete r.s.scopes[sc.id];
  if (decision !== undefined) r.setVars(outer.scope, { decision });
  activityDone(r, outer);
}

/** 加签: one more signer on a running countersign (parallel: now; sequential: queued last). */
export function addSigner(r: Run, sc: Scope, n: FlowNode, signer: Json): void {
  const mi = sc.mi;
  if (!mi) return;
  mi.items.push(signer);
  mi.total++;
  syncCounters(sc, mi);
  if (!mi.sequential) spawnInner(r, sc, n);
}

/** 减签: drop a signer who has not signed yet. Returns false if there is none to drop. */
export function removeSigner(r: Run, sc: Scope, n: FlowNode, signer: Json): boolean {
  const mi = sc.mi;
  const outer = sc.parentToken !== undefined ? r.s.tokens[sc.parentToken] : undefined;
  if (!mi || !outer) return false;
  const pending = mi.items.findIndex((x, i) => i >= mi.next && x === signer);
  if (pending >= 0) {
    mi.items.splice(pending, 1);
  } else {
    const el = n.multiInstance?.elementVariable ?? '';
    const inner = Object.values(r.s.tokens).find((x) => x.scope === sc.id && x.vars?.[el] === signer);
    if (!inner) return false;
    cancelToken(r, inner, 'signer removed');
    mi.active--;
    const idx = mi.items.indexOf(signer);
    if (idx >= 0) {
      mi.items.splice(idx, 1);
      mi.next--;
    }
  }
  mi.total--;
  syncCounters(sc, mi);
  const v = verdict(n, mi);
  if (mi.total > 0 && v.done && mi.active === 0) finishBody(r, sc, outer, v.decision);
  else if (mi.total === 0 || (mi.active === 0 && mi.next >= mi.items.length)) finishBody(r, sc, outer, v.decision);
  else if (mi.sequential && mi.active === 0) spawnInner(r, sc, n);
  return true;
}

/** Behavior None/One: the implicit event goes to this activity's boundary without interrupting it. */
function throwImplicitSignal(r: Run, outer: Token, signal: string): void {
  for (const sub of Object.values(r.s.subscriptions)) {
    if (sub.token === outer.id && sub.kind === 'signal' && sub.name === signal)
      r.agenda.push(newToken(r, sub.node, outer.scope).id);
  }
}
