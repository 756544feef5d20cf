import type { CompileContext } from './compile-nodes.ts';
import type { Definition, FlowNode } from './model.ts';
import type { XmlElement } from './xml.ts';
import { checkMessageFlows, checkTextFormats, checkTypedRefs } from './validate-refs.ts';

const GATEWAYS = new Set(['exclusiveGateway', 'parallelGateway', 'inclusiveGateway', 'eventBasedGateway']);
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

/**
 * Structural rules of BPMN 2.0 (the betsy `bpmn_constraints` set) plus the executable
 * subset's own rules. Each problem names the element id and why.
 */
export function validateDefinition(
  ctx: CompileContext,
  root: XmlElement,
  def: Definition,
  ids: ReadonlyMap<string, XmlElement>,
): void {
  const p = (path: string, message: string): void => {
    ctx.problems.push({ path, message });
  };
  for (const f of Object.values(def.flows)) {
    const s = def.nodes[f.source];
    const t = def.nodes[f.target];
    if (!s)
      p(
        f.id,
        ids.has(f.source) ? `sourceRef '${f.source}' is not a flow node` : `sourceRef '${f.source}' does not exist`,
      );
    if (!t)
      p(
        f.id,
        ids.has(f.target) ? `targetRef '${f.target}' is not a flow node` : `targetRef '${f.target}' does not exist`,
      );
    if (s && t && containerOf(def, s) !== containerOf(def, t))
      p(f.id, `connects '${s.id}' and '${t.id}' across a (sub)process boundary`);
    if (s && f.condition && (s.kind === 'startEvent' || s.kind === 'eventBasedGateway' || s.kind.endsWith('Event')))
      p(f.id, `a conditional sequence flow cannot leave ${s.kind} '${s.id}'`);
  }
  for (const n of Object.values(def.nodes)) validateNode(def, n, p);
  for (const n of Object.values(def.nodes)) {
    if (!ACTIVITIES.has(n.kind) || n.outgoing.length !== 1) continue;
    const only = def.flows[n.outgoing[0] ?? ''];
    if (only?.condition) p(only.id, `a conditional flow from activity '${n.id}' needs another outgoing flow`);
  }
  for (const [id, proc] of Object.entries(def.processes)) {
    if (proc.starts.length === 0 && Object.values(def.nodes).some((n) => n.parent === id))
      p(id, 'process has no start event');
  }
  checkDeclaredRefs(def, ids, p);
  checkStartEndPairs(def, p);
  checkMessageFlows(root, def, ids, p);
  checkTextFormats(root, p);
  checkTypedRefs(root, ids, p);
}

/** A (sub)process that uses a start event must use an end event, and the other way round. */
function checkStartEndPairs(def: Definition, p: (path: string, message: string) => void): void {
  const containers = new Map<string, { start: boolean; end: boolean }>();
  for (const n of Object.values(def.nodes)) {
    const c = containers.get(containerOf(def, n)) ?? { start: false, end: false };
    if (n.kind === 'startEvent') c.start = true;
    if (n.kind === 'endEvent') c.end = true;
    containers.set(containerOf(def, n), c);
  }
  for (const [id, c] of containers) {
    if (c.start && !c.end) p(id, 'has a start event but no end event');
    if (c.end && !c.start) p(id, 'has an end event but no start event');
  }
  // With explicit start/end events, no node may start or end a path implicitly.
  for (const n of Object.values(def.nodes)) {
    const c = containers.get(containerOf(def, n));
    if (!c) continue;
    if (c.start && n.incoming.length === 0 && n.kind !== 'startEvent' && n.kind !== 'boundaryEvent')
      p(n.id, 'has no incoming sequence flow although its (sub)process uses a start event');
    if (c.end && n.outgoing.length === 0 && n.kind !== 'endEvent')
      p(n.id, 'has no outgoing sequence flow although its (sub)process uses an end event');
  }
}

function containerOf(def: Definition, n: FlowNode): string {
  if (n.kind === 'boundaryEvent' && n.attachedTo !== undefined) return def.nodes[n.attachedTo]?.parent ?? n.parent;
  return n.parent;
}

function validateNode(def: Definition, n: FlowNode, p: (path: string, message: string) => void): void {
  const ins = n.incoming.length;
  const outs = n.outgoing.length;
  const kind: string = n.kind; // events have their own rules; all other kinds share `default`
  switch (kind) {
    case 'startEvent': {
      if (ins > 0) p(n.id, 'a start event cannot have incoming sequence flows');
      if (outs === 0) p(n.id, 'a start event needs an outgoing sequence flow');
      const inSub = def.nodes[n.parent]?.kind === 'subProcess';
      const t = n.event?.type;
      if (inSub && t !== 'none') p(n.id, 'a start event inside a subprocess must be a none start event');
      if (!inSub && t !== 'none' && t !== 'message' && t !== 'timer' && t !== 'signal')
        p(n.id, `a ${t ?? 'unknown'} start event is not in the executable subset`);
      break;
    }
    case 'endEvent':
      if (outs > 0) p(n.id, 'an end event cannot have outgoing sequence flows');
      if (ins === 0) p(n.id, 'an end event needs an incoming sequence flow');
      if (n.event?.type === 'timer') p(n.id, 'an end event cannot be a timer');
      break;
    case 'intermediateCatchEvent':
      if (ins === 0) p(n.id, 'an intermediate catch event needs an incoming sequence flow');
      if (outs === 0) p(n.id, 'an intermediate catch event needs an outgoing sequence flow');
      if (n.event?.type === 'none' || n.event?.type === 'error' || n.event?.type === 'terminate')
        p(n.id, `an intermediate catch event cannot be ${n.event.type}`);
      break;
    case 'intermediateThrowEvent':
      if (n.event?.type === 'timer' || n.event?.type === 'error' || n.event?.type === 'terminate')
        p(n.id, `an intermediate throw event cannot be ${n.event.type}`);
      if (ins === 0) p(n.id, 'an intermediate throw event needs an incoming sequence flow');
      break;
    case 'boundaryEvent':
      validateBoundary(def, n, p);
      break;
    default:
      if (GATEWAYS.has(n.kind)) validateGateway(def, n, p);
      if (n.kind === 'subProcess' && (n.starts?.length ?? 0) !== 1)
        p(n.id, 'a subprocess needs exactly one none start event');
      if (n.kind === 'callActivity' && !n.calledElement) p(n.id, 'a callActivity needs calledElement');
      if (n.kind === 'callActivity' && n.calledElement && def.nodes[n.calledElement])
        p(n.id, `calledElement '${n.calledElement}' names a flow node, not a process`);
      break;
  }
  if (n.defaultFlow !== undefined) {
    const f = def.flows[n.defaultFlow];
    if (!f || f.source !== n.id)
      p(n.id, `default flow '${n.defaultFlow}' is not an outgoing sequence flow of '${n.id}'`);
    if (!(n.kind === 'exclusiveGateway' || n.kind === 'inclusiveGateway' || ACTIVITIES.has(n.kind)))
      p(n.id, `${n.kind} cannot have a default flow`);
  }
}

function validateBoundary(def: Definition, n: FlowNode, p: (path: string, message: string) => void): void {
  const host = n.attachedTo !== undefined ? def.nodes[n.attachedTo] : undefined;
  if (!host) p(n.id, `attachedToRef '${n.attachedTo ?? ''}' does not name an activity`);
  else if (!ACTIVITIES.has(host.kind))
    p(n.id, `a boundary event must be attached to an activity, not ${host.kind} '${host.id}'`);
  if (n.incoming.length > 0) p(n.id, 'a boundary event cannot have incoming sequence flows');
  if (n.outgoing.length === 0) p(n.id, 'a boundary event needs an outgoing sequence flow');
  const t = n.event?.type;
  if (t === 'none' || t === 'terminate') p(n.id, `a boundary event cannot be ${t}`);
  if (t === 'error' && n.cancelActivity === false) p(n.id, 'an error boundary event is always interrupting');
}

function validateGateway(def: Definition, n: FlowNode, p: (path: string, message: string) => void): void {
  const ins = n.incoming.length;
  const outs = n.outgoing.length;
  const dir = n.direction;
  if (dir === 'Converging' && (ins < 2 || outs > 1))
    p(n.id, 'a converging gateway needs several incoming flows and at most one outgoing');
  if (dir === 'Diverging' && (ins > 1 || outs < 2))
    p(n.id, 'a diverging gateway needs at most one incoming flow and several outgoing');
  if (dir === 'Mixed' && (ins < 2 || outs < 2))
    p(n.id, 'a mixed gateway needs several incoming and several outgoing flows');
  if (ins === 0) p(n.id, 'a gateway needs an incoming sequence flow');
  if (outs === 0) p(n.id, 'a gateway needs an outgoing sequence flow');
  if (n.kind === 'eventBasedGateway') {
    if (outs < 2) p(n.id, 'an event-based gateway needs at least two outgoing flows');
    for (const fid of n.outgoing) {
      const t = def.nodes[def.flows[fid]?.target ?? ''];
      if (!t) continue;
      const ok =
        (t.kind === 'intermediateCatchEvent' && ['timer', 'message', 'signal'].includes(t.event?.type ?? '')) ||
        t.kind === 'receiveTask';
      if (t.kind === 'receiveTask' && Object.values(def.nodes).some((b) => b.attachedTo === t.id))
        p(t.id, 'a receive task after an event-based gateway cannot have boundary events');
      if (!ok) p(n.id, `an event-based gateway may only lead to catch events or receive tasks, not '${t.id}'`);
      else if (t.incoming.length > 1) p(t.id, 'a target of an event-based gateway cannot have other incoming flows');
    }
  }
}

/** <incoming>/<outgoing> children must agree with the sequence flows' refs (when the document uses them). */
function checkDeclaredRefs(
  def: Definition,
  ids: ReadonlyMap<string, XmlElement>,
  p: (path: string, message: string) => void,
): void {
  const declares = [...ids.values()].some((el) =>
    el.children.some((c) => c.local === 'incoming' || c.local === 'outgoing'),
  );
  if (declares) {
    for (const f of Object.values(def.flows)) {
      const src = ids.get(f.source);
      const tgt = ids.get(f.target);
      if (src && def.nodes[f.source] && !src.children.some((c) => c.local === 'outgoing' && c.text.trim() === f.id))
        p(f.source, `sequence flow '${f.id}' is not listed in its <outgoing>`);
      if (tgt && def.nodes[f.target] && !tgt.children.some((c) => c.local === 'incoming' && c.text.trim() === f.id))
        p(f.target, `sequence flow '${f.id}' is not listed in its <incoming>`);
    }
  }
  for (const n of Object.values(def.nodes)) {
    const el = ids.get(n.id);
    if (!el) continue;
    for (const c of el.children) {
      if (c.local !== 'incoming' && c.local !== 'outgoing') continue;
      const ref = c.text.trim();
      const f = def.flows[ref];
      if (!f) p(n.id, `${c.local} '${ref}' is not a sequence flow`);
      else if (c.local === 'incoming' && f.target !== n.id) p(n.id, `incoming '${ref}' does not target '${n.id}'`);
      else if (c.local === 'outgoing' && f.source !== n.id) p(n.id, `outgoing '${ref}' does not start at '${n.id}'`);
    }
  }
}
