import { AppError } from '@guotu/domain';
import {
  NODE_KINDS,
  compileEventDefinition,
  compileTaskMessage,
  compileExpr,
  compileMappings,
  compileMultiInstance,
  compileUserTask,
  guotu,
  refuse,
} from './compile-nodes.ts';
import type { CompileContext, Problem } from './compile-nodes.ts';
import type { Definition, FlowNode, ProcessDefinition, SequenceFlow } from './model.ts';
import { validateDefinition } from './validate.ts';
import { BPMN_NS, XSI_NS, childrenNamed, firstChild, parseXml } from './xml.ts';
import type { XmlElement } from './xml.ts';

export interface ParseOptions {
  /** Definition key; defaults to the main process id. */
  readonly key?: string;
  readonly version?: number;
  /** Which process `start` instantiates; defaults to the first executable process. */
  readonly mainProcess?: string;
  /** Handler names registered in code; when given, script/service tasks naming others are refused. */
  readonly handlers?: readonly string[];
}

export interface ParseResult {
  readonly definition: Definition;
  readonly warnings: readonly Problem[];
}

export interface ImportResult extends ParseResult {
  /** Element names that are outside the executable subset and were left out. */
  readonly unsupported: readonly string[];
  /** Problems that would make `parseDefinition` refuse the document. */
  readonly problems: readonly Problem[];
}

/** Decorative or declarative elements that do not affect execution. */
const IGNORED_IN_PROCESS = new Set([
  'laneSet',
  'documentation',
  'extensionElements',
  'textAnnotation',
  'association',
  'group',
  'auditing',
  'monitoring',
  'supportedInterfaceRef',
  'incoming',
  'outgoing',
  'multiInstanceLoopCharacteristics',
  'standardLoopCharacteristics',
  'dataInputAssociation',
  'dataOutputAssociation',
]);
const ALLOWED_TOP = new Set([
  'process',
  'collaboration',
  'message',
  'error',
  'signal',
  'documentation',
  'extensionElements',
  'itemDefinition',
  'category',
  'import',
  'timerEventDefinition',
  'messageEventDefinition',
  'signalEventDefinition',
  'errorEventDefinition',
  'terminateEventDefinition',
  'escalation',
  'interface',
  'dataStore',
]);
const ACTIVITY_KINDS = new Set([
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

function compile(xml: string, options: ParseOptions, lenient: boolean): ImportResult {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const unsupported = new Set<string>();
  const parsed = parseXml(xml);
  const empty: Definition = {
    key: options.key ?? '',
    version: options.version ?? 1,
    mainProcess: '',
    processes: {},
    nodes: {},
    flows: {},
  };
  if ('error' in parsed)
    return {
      definition: empty,
      warnings,
      unsupported: [],
      problems: [{ path: '', message: `not well-formed XML: ${parsed.error}` }],
    };
  const root = parsed.root;
  if (root.uri !== BPMN_NS || root.local !== 'definitions') {
    return {
      definition: empty,
      warnings,
      unsupported: [],
      problems: [{ path: '', message: 'root element must be BPMN 2.0 <definitions>' }],
    };
  }
  const globals = new Map<string, XmlElement>();
  const ids = new Map<string, XmlElement>();
  const walkIds = (el: XmlElement): void => {
    const id = el.attrs.id;
    if (el.uri === BPMN_NS && id !== undefined) {
      if (ids.has(id)) problems.push({ path: id, message: `duplicate id '${id}'` });
      else ids.set(id, el);
    }
    el.children.forEach(walkIds);
  };
  walkIds(root);
  for (const c of root.children) if (c.attrs.id !== undefined) globals.set(c.attrs.id, c);
  const ctx: CompileContext = { problems, warnings, unsupported, lenient, globals };
  for (const c of root.children) {
    if (c.uri !== BPMN_NS) continue;
    if (!ALLOWED_TOP.has(c.local))
      refuse(ctx, c.attrs.id ?? c.local, `${c.local} is not in the executable subset`, c.local);
  }
  const nodes: Record<string, FlowNode> = {};
  const flows: Record<string, SequenceFlow> = {};
  const processes: Record<string, ProcessDefinition> = {};
  for (const p of childrenNamed(root, 'process')) {
    const id = p.attrs.id;
    if (id === undefined) {
      problems.push({ path: 'process', message: 'process without id' });
      continue;
    }
    if (p.attrs.processType === 'Public' && p.attrs.isExecutable === 'true')
      problems.push({ path: id, message: 'a public process cannot be executable' });
    const starts = compileContainer(ctx, p, id, nodes, flows);
    if (p.attrs.isExecutable !== 'false' && !Object.values(nodes).some((n) => n.parent === id))
      problems.push({ path: id, message: 'an executable process needs flow nodes' });
    processes[id] = {
      id,
      executable: p.attrs.isExecutable !== 'false',
      starts,
      ...(p.attrs.name ? { name: p.attrs.name } : {}),
    };
  }
  for (const b of Object.values(nodes)) {
    const host = b.kind === 'boundaryEvent' && b.attachedTo !== undefined ? nodes[b.attachedTo] : undefined;
    if (host) nodes[host.id] = { ...host, boundaries: [...host.boundaries, b.id] };
  }
  const mainProcess = options.mainProcess ?? pickMain(root, processes);
  if (mainProcess === undefined) problems.push({ path: '', message: 'no executable process' });
  const definition: Definition = {
    key: options.key ?? mainProcess ?? '',
    version: options.version ?? 1,
    mainProcess: mainProcess ?? '',
    processes,
    nodes,
    flows,
  };
  validateDefinition(ctx, root, definition, ids);
  if (options.handlers) {
    for (const n of Object.values(nodes)) {
      if (n.handler !== undefined && n.handler !== '' && !options.handlers.includes(n.handler))
        problems.push({ path: n.id, message: `handler '${n.handler}' is not registered` });
    }
  }
  return { definition, warnings, unsupported: [...unsupported].sort(), problems };
}

/** The process not called by another process's callActivity, preferring executable ones. */
function pickMain(root: XmlElement, processes: Record<string, ProcessDefinition>): string | undefined {
  const called = new Set<string>();
  const walk = (el: XmlElement): void => {
    if (el.local === 'callActivity' && el.attrs.calledElement) called.add(el.attrs.calledElement);
    el.children.forEach(walk);
  };
  walk(root);
  const list = Object.values(processes);
  return (list.find((p) => p.executable && !called.has(p.id)) ?? list.find((p) => p.executable) ?? list[0])?.id;
}

function compileContainer(
  ctx: CompileContext,
  container: XmlElement,
  containerId: string,
  nodes: Record<string, FlowNode>,
  flows: Record<string, SequenceFlow>,
): string[] {
  const localNodes: XmlElement[] = [];
  for (const c of container.children) {
    if (c.uri !== BPMN_NS) continue;
    if (c.local === 'sequenceFlow') {
      const id = c.attrs.id ?? '';
      if (!c.attrs.id) ctx.problems.push({ path: containerId, message: 'sequenceFlow without id' });
      const condEl = firstChild(c, 'conditionExpression');
      const condition = condEl !== undefined ? compileCondition(ctx, id, condEl) : undefined;
      if (c.attrs.isImmediate !== undefined)
        refuse(ctx, id, 'isImmediate is only meaningful for non-executable processes', 'isImmediate');
      flows[id] = {
        id,
        source: c.attrs.sourceRef ?? '',
        target: c.attrs.targetRef ?? '',
        ...(condition ? { condition } : {}),
      };
    } else if (NODE_KINDS[c.local]) localNodes.push(c);
    else if (!IGNORED_IN_PROCESS.has(c.local))
      refuse(ctx, c.attrs.id ?? containerId, `${c.local} is not in the executable subset`, c.local);
  }
  const starts: string[] = [];
  for (const el of localNodes) {
    const node = compileNode(ctx, el, containerId, nodes, flows);
    if (!node) continue;
    nodes[node.id] = node;
    if (node.kind === 'startEvent') starts.push(node.id);
  }
  return starts;
}

function compileCondition(ctx: CompileContext, flowId: string, el: XmlElement) {
  const lang = el.attrs.language;
  if (lang !== undefined && !/juel|guotu|expression/i.test(lang)) {
    ctx.problems.push({
      path: flowId,
      message: `condition language '${lang}' is not supported (use the \${…} subset)`,
    });
    return undefined;
  }
  const xsiType = el.nsAttrs[`${XSI_NS}|type`];
  if (xsiType !== undefined && !/FormalExpression$/.test(xsiType))
    ctx.problems.push({ path: flowId, message: 'conditionExpression must be a tFormalExpression' });
  if (el.text.trim() === '') {
    ctx.problems.push({ path: flowId, message: 'empty condition expression' });
    return undefined;
  }
  return compileExpr(ctx, flowId, el.text);
}

function compileNode(
  ctx: CompileContext,
  el: XmlElement,
  parent: string,
  nodes: Record<string, FlowNode>,
  flows: Record<string, SequenceFlow>,
): FlowNode | undefined {
  const kind = NODE_KINDS[el.local];
  const id = el.attrs.id;
  if (!kind) return undefined;
  if (id === undefined) {
    ctx.problems.push({ path: parent, message: `${el.local} without id` });
    return undefined;
  }
  const isEvent = kind.endsWith('Event');
  const event = isEvent ? compileEventDefinition(ctx, el, id) : undefined;
  const base = {
    id,
    kind,
    parent,
    incoming: Object.values(flows)
      .filter((f) => f.target === id)
      .map((f) => f.id),
    outgoing: Object.values(flows)
      .filter((f) => f.source === id)
      .map((f) => f.id),
    boundaries: [] as string[],
    ...(el.attrs.name ? { name: el.attrs.name } : {}),
    ...(el.attrs.default ? { defaultFlow: el.attrs.default } : {}),
    ...(el.attrs.gatewayDirection ? { direction: el.attrs.gatewayDirection } : {}),
    ...(event ? { event } : {}),
  };
  if (ACTIVITY_KINDS.has(kind)) {
    for (const q of ['startQuantity', 'completionQuantity']) {
      const v = el.attrs[q];
      if (v !== undefined && v !== '1') refuse(ctx, id, `${q}=${v}: only 1 is in the executable subset`, q);
    }
    if (el.attrs.isForCompensation === 'true')
      refuse(ctx, id, 'compensation activities are not in the executable subset', 'isForCompensation');
    if (firstChild(el, 'standardLoopCharacteristics'))
      refuse(
        ctx,
        id,
        'standardLoopCharacteristics is not in the executable subset (use multi-instance)',
        'standardLoopCharacteristics',
      );
  }
  if (
    [
      'ioSpecification',
      'dataInputAssociation',
      'dataOutputAssociation',
      'dataInput',
      'dataOutput',
      'inputSet',
      'outputSet',
      'property',
    ].some((x) => firstChild(el, x))
  )
    refuse(
      ctx,
      id,
      'data inputs/outputs and associations are not in the executable subset (use process variables)',
      'dataAssociation',
    );
  if (
    kind === 'eventBasedGateway' &&
    (el.attrs.instantiate === 'true' || (el.attrs.eventGatewayType ?? 'Exclusive') !== 'Exclusive')
  )
    refuse(
      ctx,
      id,
      'only non-instantiating exclusive event-based gateways are in the executable subset',
      'instantiate',
    );
  if (kind === 'receiveTask' && el.attrs.instantiate === 'true')
    refuse(
      ctx,
      id,
      'instantiating receive tasks are not in the executable subset (use a message start event)',
      'instantiate',
    );
  const multiInstance = ACTIVITY_KINDS.has(kind) ? compileMultiInstance(ctx, el, id) : undefined;
  const extra: Record<string, unknown> = multiInstance ? { multiInstance } : {};
  // Only some kinds carry extra fields; `el.local` is a plain string so the rest share `default`.
  switch (el.local) {
    case 'boundaryEvent':
      extra.attachedTo = el.attrs.attachedToRef ?? '';
      extra.cancelActivity = el.attrs.cancelActivity !== 'false';
      break;
    case 'receiveTask':
    case 'sendTask':
      extra.event = compileTaskMessage(ctx, el, id);
      break;
    case 'userTask':
      extra.user = compileUserTask(el);
      break;
    case 'scriptTask': {
      const script = firstChild(el, 'script')?.text.trim() ?? '';
      if (!/^[A-Za-z_][\w.-]*$/.test(script))
        ctx.problems.push({
          path: id,
          message: 'a scriptTask body must name a registered handler (scripts are never evaluated)',
        });
      extra.handler = script;
      break;
    }
    case 'serviceTask': {
      const handler = guotu(el, 'handler') ?? el.attrs.implementation;
      if (handler === undefined || !/^[A-Za-z_][\w.-]*$/.test(handler))
        ctx.problems.push({ path: id, message: 'a serviceTask must name a handler (guotu:handler)' });
      extra.handler = handler ?? '';
      const retries = guotu(el, 'retries');
      if (retries !== undefined) extra.retries = Number(retries);
      break;
    }
    case 'subProcess': {
      if (el.attrs.triggeredByEvent === 'true')
        refuse(ctx, id, 'event subprocesses are not in the executable subset', 'eventSubProcess');
      extra.starts = compileContainer(ctx, el, id, nodes, flows);
      break;
    }
    case 'callActivity': {
      extra.calledElement = el.attrs.calledElement ?? '';
      const binding = guotu(el, 'versionBinding') ?? 'latest';
      if (binding !== 'latest' && binding !== 'deployment' && binding !== 'version')
        ctx.problems.push({
          path: id,
          message: `guotu:versionBinding must be latest|deployment|version, got '${binding}'`,
        });
      extra.versionBinding = binding;
      const v = guotu(el, 'version');
      if (binding === 'version' && (v === undefined || !/^\d+$/.test(v)))
        ctx.problems.push({ path: id, message: 'guotu:versionBinding="version" needs guotu:version' });
      if (v !== undefined) extra.calledVersion = Number(v);
      const inputs = compileMappings(el, 'in');
      const outputs = compileMappings(el, 'out');
      if (inputs) extra.inputs = inputs;
      if (outputs) extra.outputs = outputs;
      break;
    }
    default:
      break;
  }
  for (const bad of ['adHocSubProcess', 'transaction'])
    if (el.local === bad) refuse(ctx, id, `${bad} is not in the executable subset`, bad);
  return { ...base, ...extra } as FlowNode;
}

function fail(problems: readonly Problem[]): never {
  const head = problems
    .slice(0, 3)
    .map((p) => `${p.path || '(document)'}: ${p.message}`)
    .join('; ');
  throw new AppError(
    'DEFINITION_INVALID',
    `definition refused (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${head}`,
    problems.map((p) => ({ path: p.path, message: p.message })),
  );
}

/** Compiles and validates a BPMN document; throws AppError('DEFINITION_INVALID') listing every problem. */
export function parseDefinition(xml: string, options: ParseOptions = {}): ParseResult {
  const r = compile(xml, options, false);
  if (r.problems.length > 0) fail(r.problems);
  return { definition: deepFreeze(r.definition), warnings: r.warnings };
}

/**
 * Lenient import (modeler interchange): unsupported elements are left out and reported by
 * name in `unsupported`; only unreadable documents throw.
 */
export function importDefinition(xml: string, options: ParseOptions = {}): ImportResult {
  const r = compile(xml, options, true);
  if (r.problems.some((p) => p.path === '' && /XML|root element/.test(p.message))) fail(r.problems);
  return r;
}

/** Deployed definitions are immutable: freezing makes an accidental write throw in strict mode. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
