import {
  NODE_KINDS,
  compileEventDefinition,
  compileExpr,
  compileMappings,
  compileMultiInstance,
  compileTaskMessage,
  compileUserTask,
  guotu,
  refuse,
} from './compile-nodes.ts';
import type { CompileContext } from './compile-nodes.ts';
import type { FlowNode, NodeKind, SequenceFlow } from './model.ts';
import { BPMN_NS, XSI_NS, firstChild } from './xml.ts';
import type { XmlElement } from './xml.ts';

/* Compiles the flow elements of a process or subprocess: sequence flows and flow nodes. */

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

export function compileContainer(
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
  refuseUnsupported(ctx, el, id, kind);
  const multiInstance = ACTIVITY_KINDS.has(kind) ? compileMultiInstance(ctx, el, id) : undefined;
  const extra: Record<string, unknown> = {
    ...(multiInstance ? { multiInstance } : {}),
    ...kindFields(ctx, el, id, nodes, flows),
  };
  return { ...base, ...extra } as FlowNode;
}

/** Refuses attributes and children of a flow node that are outside the executable subset. */
function refuseUnsupported(ctx: CompileContext, el: XmlElement, id: string, kind: NodeKind): void {
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
  for (const bad of ['adHocSubProcess', 'transaction'])
    if (el.local === bad) refuse(ctx, id, `${bad} is not in the executable subset`, bad);
}

/** The kind-specific fields of a flow node. */
function kindFields(
  ctx: CompileContext,
  el: XmlElement,
  id: string,
  nodes: Record<string, FlowNode>,
  flows: Record<string, SequenceFlow>,
): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
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
  return extra;
}
