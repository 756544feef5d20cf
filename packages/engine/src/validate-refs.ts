import type { Definition } from './model.ts';
import type { XmlElement } from './xml.ts';

/* Cross-element references: typed refs, message flows between pools, textFormat MIME types. */

/** element → reference (attribute or child element) → the element kinds it may point at. */
const TYPED_REFS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  participant: { processRef: ['process'], interfaceRef: ['interface'] },
  operation: { inMessageRef: ['message'], outMessageRef: ['message'], errorRef: ['error'] },
  message: { itemRef: ['itemDefinition'] },
  error: { structureRef: ['itemDefinition'] },
  messageEventDefinition: { operationRef: ['operation'] },
  receiveTask: { operationRef: ['operation'] },
  sendTask: { operationRef: ['operation'] },
  dataObject: { itemSubjectRef: ['itemDefinition'] },
};

export function checkTypedRefs(
  el: XmlElement,
  ids: ReadonlyMap<string, XmlElement>,
  p: (path: string, message: string) => void,
): void {
  const rules = TYPED_REFS[el.local];
  if (rules) {
    for (const [ref, kinds] of Object.entries(rules)) {
      const values = [el.attrs[ref], ...el.children.filter((c) => c.local === ref).map((c) => c.text.trim())].filter(
        (v): v is string => v !== undefined,
      );
      for (const v of values) {
        const target = ids.get(v.includes(':') ? v.slice(v.indexOf(':') + 1) : v);
        if (!target || !kinds.includes(target.local))
          p(el.attrs.id ?? el.local, `${ref} '${v}' must name ${kinds.join(' or ')}`);
      }
    }
  }
  for (const c of el.children) checkTypedRefs(c, ids, p);
}

const MIME = /^[a-z]+\/[a-z0-9.+-]+$/i;

export function checkTextFormats(el: XmlElement, p: (path: string, message: string) => void): void {
  const tf = el.attrs.textFormat;
  if (tf !== undefined && !MIME.test(tf)) p(el.attrs.id ?? el.local, `textFormat '${tf}' is not a MIME type`);
  for (const c of el.children) checkTextFormats(c, p);
}

const SENDERS = new Set(['sendTask', 'task', 'userTask', 'serviceTask', 'manualTask', 'subProcess', 'callActivity']);
const RECEIVERS = new Set([
  'receiveTask',
  'task',
  'userTask',
  'serviceTask',
  'manualTask',
  'subProcess',
  'callActivity',
]);

/** Message flows connect two different pools, from something that can send to something that can receive. */
export function checkMessageFlows(
  root: XmlElement,
  def: Definition,
  ids: ReadonlyMap<string, XmlElement>,
  p: (path: string, message: string) => void,
): void {
  const poolOfProcess = new Map<string, string>();
  const participants = new Set<string>();
  for (const collab of root.children.filter((c) => c.local === 'collaboration')) {
    for (const part of collab.children.filter((c) => c.local === 'participant')) {
      participants.add(part.attrs.id ?? '');
      if (part.attrs.processRef !== undefined) poolOfProcess.set(part.attrs.processRef, part.attrs.id ?? '');
    }
  }
  const processOf = (nodeId: string): string | undefined => {
    let n = def.nodes[nodeId];
    while (n && def.nodes[n.parent]) n = def.nodes[n.parent];
    return n?.parent;
  };
  const pool = (ref: string): string | undefined =>
    participants.has(ref) ? ref : poolOfProcess.get(processOf(ref) ?? '');
  for (const collab of root.children.filter((c) => c.local === 'collaboration')) {
    for (const mf of collab.children.filter((c) => c.local === 'messageFlow')) {
      const id = mf.attrs.id ?? 'messageFlow';
      const src = mf.attrs.sourceRef ?? '';
      const tgt = mf.attrs.targetRef ?? '';
      for (const [ref, role] of [
        [src, 'source'],
        [tgt, 'target'],
      ] as const) {
        if (participants.has(ref)) continue;
        const n = def.nodes[ref];
        if (!n) {
          p(id, `message flow ${role} '${ref}' is ${ids.has(ref) ? 'not a participant or flow node' : 'missing'}`);
          continue;
        }
        const isMsg = n.event?.type === 'message';
        const ok =
          role === 'source'
            ? SENDERS.has(n.kind) || (isMsg && (n.kind === 'intermediateThrowEvent' || n.kind === 'endEvent'))
            : RECEIVERS.has(n.kind) ||
              (isMsg && (n.kind === 'startEvent' || n.kind === 'intermediateCatchEvent' || n.kind === 'boundaryEvent'));
        if (!ok) p(id, `${n.kind} '${ref}' cannot be the ${role} of a message flow`);
      }
      const a = pool(src);
      const b = pool(tgt);
      if (a !== undefined && a === b) p(id, 'a message flow must connect two different pools');
    }
  }
}
