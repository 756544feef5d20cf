import { parseExpression, ExpressionError } from './expression.ts';
import type { Expr } from './expression.ts';
import type { Countersign, EventDefinition, MultiInstance, NodeKind, UserTaskSpec, VariableMapping } from './model.ts';
import { isValidDate, parseCycle, parseDuration } from './iso-duration.ts';
import { GUOTU_NS, XSI_NS, childrenNamed, firstChild } from './xml.ts';
import type { XmlElement } from './xml.ts';

export interface Problem {
  readonly path: string;
  readonly message: string;
}

/** Collects problems while compiling; `unsupported` reports lenient-mode omissions by name. */
export interface CompileContext {
  readonly problems: Problem[];
  readonly warnings: Problem[];
  readonly unsupported: Set<string>;
  readonly lenient: boolean;
  /** Top-level declarations by id: message, error, signal, eventDefinition… */
  readonly globals: ReadonlyMap<string, XmlElement>;
}

export const NODE_KINDS: Readonly<Record<string, NodeKind>> = {
  startEvent: 'startEvent',
  endEvent: 'endEvent',
  intermediateCatchEvent: 'intermediateCatchEvent',
  intermediateThrowEvent: 'intermediateThrowEvent',
  boundaryEvent: 'boundaryEvent',
  userTask: 'userTask',
  serviceTask: 'serviceTask',
  scriptTask: 'scriptTask',
  sendTask: 'sendTask',
  receiveTask: 'receiveTask',
  manualTask: 'manualTask',
  task: 'task',
  exclusiveGateway: 'exclusiveGateway',
  parallelGateway: 'parallelGateway',
  inclusiveGateway: 'inclusiveGateway',
  eventBasedGateway: 'eventBasedGateway',
  subProcess: 'subProcess',
  callActivity: 'callActivity',
};

export function refuse(ctx: CompileContext, path: string, message: string, unsupportedName?: string): void {
  if (ctx.lenient && unsupportedName !== undefined) {
    ctx.unsupported.add(unsupportedName);
    ctx.warnings.push({
      path,
      message: message.includes(unsupportedName) ? message : `${message} [${unsupportedName}]`,
    });
  } else ctx.problems.push({ path, message });
}

export function guotu(el: XmlElement, name: string): string | undefined {
  const v = el.nsAttrs[`${GUOTU_NS}|${name}`];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/** Like `guotu()` but also accepts the camunda:/flowable:/activiti: spelling of common attributes. */
function foreignAttr(el: XmlElement, name: string): string | undefined {
  const own = guotu(el, name);
  if (own !== undefined) return own;
  for (const [k, v] of Object.entries(el.nsAttrs)) if (k.endsWith(`|${name}`) && v.trim() !== '') return v.trim();
  return undefined;
}

export function compileExpr(ctx: CompileContext, path: string, text: string): Expr | undefined {
  try {
    const e = parseExpression(text);
    if (e.t === 'lit' && typeof e.v !== 'boolean')
      ctx.problems.push({ path, message: `condition '${text.trim()}' is not a boolean expression` });
    return e;
  } catch (e) {
    const why = e instanceof ExpressionError ? e.message : String(e);
    ctx.problems.push({ path, message: `invalid expression '${text.trim()}': ${why}` });
    return undefined;
  }
}

const EVENT_DEFS = [
  'timerEventDefinition',
  'messageEventDefinition',
  'signalEventDefinition',
  'errorEventDefinition',
  'terminateEventDefinition',
  'escalationEventDefinition',
  'compensateEventDefinition',
  'cancelEventDefinition',
  'conditionalEventDefinition',
  'linkEventDefinition',
];

/** Resolves the (single) event definition of an event element, inline or via eventDefinitionRef. */
export function compileEventDefinition(ctx: CompileContext, el: XmlElement, id: string): EventDefinition | undefined {
  const defs: XmlElement[] = el.children.filter((c) => EVENT_DEFS.includes(c.local));
  for (const ref of childrenNamed(el, 'eventDefinitionRef')) {
    const target = ctx.globals.get(ref.text.trim());
    if (!target || !EVENT_DEFS.includes(target.local))
      ctx.problems.push({
        path: id,
        message: `eventDefinitionRef '${ref.text.trim()}' does not name an event definition`,
      });
    else defs.push(target);
  }
  if (defs.length === 0) return { type: 'none' };
  if (defs.length > 1) {
    refuse(
      ctx,
      id,
      'multiple event definitions on one event are not in the executable subset',
      'multipleEventDefinitions',
    );
    return undefined;
  }
  const d = defs[0];
  if (!d) return undefined;
  switch (d.local) {
    case 'timerEventDefinition': {
      const spec = firstChild(d, 'timeDuration') ?? firstChild(d, 'timeCycle') ?? firstChild(d, 'timeDate');
      const count = ['timeDuration', 'timeCycle', 'timeDate'].filter((n) => firstChild(d, n)).length;
      if (!spec || count !== 1 || spec.text.trim() === '') {
        ctx.problems.push({
          path: id,
          message: 'a timer needs exactly one non-empty timeDuration, timeCycle or timeDate',
        });
        return undefined;
      }
      const kind = spec.local === 'timeDuration' ? 'duration' : spec.local === 'timeCycle' ? 'cycle' : 'date';
      if (!/FormalExpression$/.test(spec.nsAttrs[`${XSI_NS}|type`] ?? ''))
        ctx.problems.push({ path: id, message: `${spec.local} must be a tFormalExpression in an executable process` });
      const text = spec.text.trim();
      const valid =
        /^\$\{.*\}$/.test(text) ||
        (kind === 'duration'
          ? parseDuration(text) !== undefined
          : kind === 'cycle'
            ? parseCycle(text) !== undefined
            : isValidDate(text));
      if (!valid) ctx.problems.push({ path: id, message: `invalid ISO-8601 ${spec.local} '${text}'` });
      const calendar = guotu(el, 'calendar') ?? guotu(d, 'calendar');
      return { type: 'timer', timer: { kind, value: spec.text.trim(), ...(calendar ? { calendar } : {}) } };
    }
    case 'messageEventDefinition': {
      const ref = d.attrs.messageRef;
      const msg = ref !== undefined ? ctx.globals.get(ref) : undefined;
      if (ref === undefined) ctx.problems.push({ path: id, message: 'a message event needs messageRef' });
      if (!firstChild(d, 'operationRef') && d.attrs.operationRef === undefined)
        ctx.problems.push({ path: id, message: 'a message event in an executable process needs an operationRef' });
      else if (msg?.local !== 'message')
        ctx.problems.push({ path: id, message: `messageRef '${ref}' does not name a message` });
      return { type: 'message', message: msg?.attrs.name ?? ref ?? id };
    }
    case 'signalEventDefinition': {
      const ref = d.attrs.signalRef;
      const sig = ref !== undefined ? ctx.globals.get(ref) : undefined;
      if (ref !== undefined && sig?.local !== 'signal')
        ctx.problems.push({ path: id, message: `signalRef '${ref}' does not name a signal` });
      return { type: 'signal', signal: sig?.attrs.name ?? ref ?? id };
    }
    case 'errorEventDefinition': {
      const ref = d.attrs.errorRef;
      if (ref === undefined) return { type: 'error' };
      const err = ctx.globals.get(ref);
      if (err?.local !== 'error') {
        ctx.problems.push({ path: id, message: `errorRef '${ref}' does not name an error` });
        return undefined;
      }
      return { type: 'error', errorCode: err.attrs.errorCode ?? ref };
    }
    case 'terminateEventDefinition':
      return { type: 'terminate' };
    default:
      refuse(ctx, id, `${d.local} is not in the executable subset`, d.local);
      return undefined;
  }
}

function parseCountersign(ctx: CompileContext, id: string, raw: string | undefined): Countersign | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'all' || raw === 'any' || raw === 'veto') return { mode: raw };
  const m = /^ratio:(0?\.\d+|1(\.0+)?)$/.exec(raw);
  if (m) return { mode: 'ratio', ratio: Number(m[1]) };
  ctx.problems.push({ path: id, message: `guotu:countersign must be all|any|ratio:<0..1>|veto, got '${raw}'` });
  return undefined;
}

export function compileMultiInstance(ctx: CompileContext, el: XmlElement, id: string): MultiInstance | undefined {
  const mi = firstChild(el, 'multiInstanceLoopCharacteristics');
  const countersign = parseCountersign(ctx, id, guotu(el, 'countersign'));
  if (!mi) {
    if (countersign)
      ctx.problems.push({ path: id, message: 'guotu:countersign needs multiInstanceLoopCharacteristics' });
    return undefined;
  }
  const card = firstChild(mi, 'loopCardinality')?.text.trim();
  const collection = foreignAttr(mi, 'collection') ?? firstChild(mi, 'loopDataInputRef')?.text.trim();
  const elementVariable = foreignAttr(mi, 'elementVariable') ?? firstChild(mi, 'inputDataItem')?.attrs.name;
  const cond = firstChild(mi, 'completionCondition')?.text;
  if (!card && !collection)
    ctx.problems.push({ path: id, message: 'multi-instance needs loopCardinality or a collection' });
  if (mi.attrs.behavior === 'Complex' || firstChild(mi, 'complexBehaviorDefinition'))
    refuse(ctx, id, 'multi-instance behavior Complex is not in the executable subset', 'complexBehaviorDefinition');
  const behaviorMode =
    mi.attrs.behavior === 'None' ? ('none' as const) : mi.attrs.behavior === 'One' ? ('one' as const) : undefined;
  const eventRef =
    behaviorMode === 'none'
      ? mi.attrs.noneBehaviorEventRef
      : behaviorMode === 'one'
        ? mi.attrs.oneBehaviorEventRef
        : undefined;
  const eventDef = eventRef !== undefined ? ctx.globals.get(eventRef) : undefined;
  const signalEl =
    eventDef?.local === 'signalEventDefinition' ? ctx.globals.get(eventDef.attrs.signalRef ?? '') : undefined;
  if (eventRef !== undefined && signalEl?.local !== 'signal')
    refuse(
      ctx,
      id,
      `multi-instance behavior event '${eventRef}' must be a signal event definition`,
      'behaviorEventRef',
    );
  const behavior =
    behaviorMode && signalEl
      ? { mode: behaviorMode, signal: signalEl.attrs.name ?? signalEl.attrs.id ?? '' }
      : undefined;
  const completionCondition = cond !== undefined && cond.trim() !== '' ? compileExpr(ctx, id, cond) : undefined;
  return {
    sequential: mi.attrs.isSequential === 'true',
    ...(card ? { cardinality: card } : {}),
    ...(collection ? { collection } : {}),
    ...(elementVariable ? { elementVariable } : {}),
    ...(completionCondition ? { completionCondition } : {}),
    ...(countersign ? { countersign } : {}),
    ...(behavior ? { behavior } : {}),
  };
}

/** receiveTask/sendTask: the message they wait for or send (messageRef → message name). */
export function compileTaskMessage(ctx: CompileContext, el: XmlElement, id: string): EventDefinition {
  const ref = el.attrs.messageRef;
  const msg = ref !== undefined ? ctx.globals.get(ref) : undefined;
  if (ref === undefined) ctx.problems.push({ path: id, message: `a ${el.local} needs messageRef` });
  else if (msg?.local !== 'message')
    ctx.problems.push({ path: id, message: `messageRef '${ref}' does not name a message` });
  return { type: 'message', message: msg?.attrs.name ?? ref ?? id };
}

export function compileUserTask(el: XmlElement): UserTaskSpec {
  const roles = guotu(el, 'candidateRoles') ?? foreignAttr(el, 'candidateGroups');
  const opt = (k: string, v: string | undefined): Record<string, string> => (v === undefined ? {} : { [k]: v });
  return {
    candidateRoles: roles
      ? roles
          .split(',')
          .map((r) => r.trim())
          .filter(Boolean)
      : [],
    ...opt('assignee', guotu(el, 'assignee') ?? foreignAttr(el, 'assignee')),
    ...opt('orgScope', guotu(el, 'orgScope')),
    ...opt('formKey', guotu(el, 'formKey') ?? foreignAttr(el, 'formKey')),
    ...opt('timeLimit', guotu(el, 'timeLimit')),
    ...opt('calendar', guotu(el, 'calendar')),
  };
}

export function compileMappings(el: XmlElement, dir: 'in' | 'out'): VariableMapping[] | undefined {
  const ext = firstChild(el, 'extensionElements');
  if (!ext) return undefined;
  const maps = ext.children.filter((c) => c.uri === GUOTU_NS && c.local === dir);
  if (maps.length === 0) return undefined;
  return maps.map((m) => ({ source: m.attrs.source ?? '', target: m.attrs.target ?? m.attrs.source ?? '' }));
}
