import { AppError } from '@guotu/domain';
import { compileContainer } from './compile-container.ts';
import { refuse } from './compile-nodes.ts';
import type { CompileContext, Problem } from './compile-nodes.ts';
import type { Definition, FlowNode, ProcessDefinition, SequenceFlow } from './model.ts';
import { validateDefinition } from './validate.ts';
import { BPMN_NS, childrenNamed, parseXml } from './xml.ts';
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
