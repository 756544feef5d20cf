import type { FlowNode } from './model.ts';
import { BpmnError } from './run-context.ts';
import type { Run } from './run-context.ts';
import type { Token, Variables } from './state.ts';
import { completeMultiInstanceInner, startMultiInstance } from './multi-instance.ts';
import { clearWaits, registerBoundaries, subscribe, throwError, throwEvent } from './events.ts';
import { retryInclusiveJoins, tryJoin } from './joins.ts';

const ACTIVITIES = new Set([
  'userTask',
  'serviceTask',
  'scriptTask',
  'sendTask',
  'receiveTask',
  'manualTask',
  'task',
  'subProcess',
  'callActivity',
]);

/** Node entries one step may make before it is treated as an endless loop. */
const MAX_ENTRIES_PER_STEP = 100_000;

/** Raised for a runtime incident (no flow to take, bad cardinality): the instance fails. */
export class RuntimeIncident extends Error {
  override readonly name = 'RuntimeIncident';
  constructor(
    readonly node: string,
    message: string,
  ) {
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
      if (!t) continue;
      // A model that loops without waiting (e.g. script tasks in a cycle) must not hang the host.
      if (++r.entered > MAX_ENTRIES_PER_STEP)
        throw new RuntimeIncident(
          t.node,
          `more than ${MAX_ENTRIES_PER_STEP} node entries in one step: an endless loop?`,
        );
      enter(r, t);
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
    ...(typeof assignee === 'string' && assignee !== ''
      ? { assignee }
      : typeof assignee === 'number'
        ? { assignee: String(assignee) }
        : {}),
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
    r.emit({
      type: 'service.invoke',
      jobId,
      handler: n.handler ?? '',
      node: n.id,
      attempt,
      variables: r.visibleVars(t),
    });
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
    const d = r.opts.loadDefinition?.(calledId, {
      kind: n.versionBinding ?? 'latest',
      ...(n.calledVersion !== undefined ? { version: n.calledVersion } : {}),
      callerKey: own.key,
      callerVersion: own.version,
    });
    if (!d) throw new RuntimeIncident(n.id, `called process '${calledId}' is not deployed`);
    defRef = `${d.key}@${d.version}`;
    r.registerDefinition(defRef, d);
    proc = d.processes[d.mainProcess];
  }
  const start = proc?.starts[0];
  if (!proc || start === undefined) throw new RuntimeIncident(n.id, `called process '${calledId}' has no start event`);
  const visible = r.visibleVars(t);
  const vars: Variables = {};
  if (n.inputs) for (const m of n.inputs) vars[m.target] = visible[m.source] ?? null;
  else Object.assign(vars, visible);
  t.wait = 'activity';
  const sc = {
    id: r.id('s'),
    kind: 'callActivity' as const,
    container: proc.id,
    parentToken: t.id,
    vars,
    ...(defRef ? { def: defRef } : {}),
  };
  r.s.scopes[sc.id] = sc;
  r.agenda.push(newToken(r, start, sc.id).id);
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
  if (n.kind === 'exclusiveGateway' || n.kind === 'inclusiveGateway' || n.kind === 'parallelGateway')
    return split(r, t, n);
  const def = r.defOfScope(t.scope);
  const flows = n.outgoing.map((f) => def.flows[f]).filter((f) => f !== undefined);
  if (flows.length === 0) return consume(r, t);
  // Unconditional flows always fire; the default fires only when no conditional flow is true.
  const plain = flows.filter((f) => f.id !== n.defaultFlow && !f.condition);
  const chosen = flows.filter(
    (f) => f.id !== n.defaultFlow && f.condition !== undefined && r.holds(f.condition, t, t.scope),
  );
  const dflt = flows.find((f) => f.id === n.defaultFlow);
  const take = [...plain, ...(chosen.length > 0 ? chosen : dflt ? [dflt] : [])];
  if (take.length === 0) throw new RuntimeIncident(n.id, `no outgoing sequence flow of '${n.id}' can be taken`);
  move(
    r,
    t,
    take.map((f) => f.id),
  );
}

export function split(r: Run, t: Token, n: FlowNode): void {
  const def = r.defOfScope(t.scope);
  const flows = n.outgoing.map((f) => def.flows[f]).filter((f) => f !== undefined);
  if (flows.length === 0) return consume(r, t);
  if (n.kind === 'parallelGateway')
    return move(
      r,
      t,
      flows.map((f) => f.id),
    );
  const ok = flows.filter((f) => f.id !== n.defaultFlow && (!f.condition || r.holds(f.condition, t, t.scope)));
  const dflt = flows.find((f) => f.id === n.defaultFlow);
  const take = n.kind === 'exclusiveGateway' ? ok.slice(0, 1) : ok;
  if (take.length === 0 && dflt) take.push(dflt);
  if (take.length === 0) throw new RuntimeIncident(n.id, `no outgoing sequence flow of gateway '${n.id}' matches`);
  move(
    r,
    t,
    take.map((f) => f.id),
  );
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
    if (caller.outputs) for (const m of caller.outputs) out[m.target] = sc.vars[m.source] ?? null;
    else Object.assign(out, sc.vars);
    r.setVars(parent.scope, out);
  }
  activityDone(r, parent);
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
