import type { FlowNode } from './model.ts';
import type { Run } from './run-context.ts';
import type { Token } from './state.ts';
import { split } from './runtime.ts';

/* Converging gateways: parallel (one token per incoming flow), exclusive (pass-through) and
 * inclusive (fires when no token still in the scope can reach it). */
export function tryJoin(r: Run, n: FlowNode, scopeId: string): void {
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
  const others = Object.values(r.s.tokens).filter(
    (x) => x.scope === scopeId && !(x.node === join.id && x.wait === 'join'),
  );
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

export function retryInclusiveJoins(r: Run): boolean {
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
