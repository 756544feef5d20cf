/** Test helpers: wrap a process body into a BPMN document and drive it command by command. */
import { parseDefinition, step } from '../src/index.ts';
import type { Command, Definition, Effect, InstanceState, StepOptions, Task, Variables } from '../src/index.ts';

const NS =
  'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:guotu="http://guotu.org/schema/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

export function bpmn(body: string, opts: { id?: string; version?: number; extra?: string } = {}): string {
  const id = opts.id ?? 'p';
  return `<?xml version="1.0" encoding="UTF-8"?><definitions ${NS} id="defs_${id}" targetNamespace="http://guotu.org/test">${opts.extra ?? ''}<process id="${id}" isExecutable="true">${body}</process></definitions>`;
}

/** `chain('a','b','c')` → sequence flows a→b, b→c with ids `a_b`, `b_c`. */
export function chain(...ids: string[]): string {
  return ids
    .slice(1)
    .map((to, i) => `<sequenceFlow id="${ids[i] ?? ''}_${to}" sourceRef="${ids[i] ?? ''}" targetRef="${to}"/>`)
    .join('');
}

export function flow(from: string, to: string, condition?: string, id = `${from}_${to}`): string {
  const cond =
    condition !== undefined
      ? `<conditionExpression xsi:type="tFormalExpression">${condition.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</conditionExpression>`
      : '';
  return `<sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}">${cond}</sequenceFlow>`;
}

export const userTask = (id: string, attrs = ''): string => `<userTask id="${id}" name="${id}" ${attrs}/>`;
export const timer = (kind: 'timeDuration' | 'timeCycle' | 'timeDate', value: string): string =>
  `<timerEventDefinition><${kind} xsi:type="tFormalExpression">${value}</${kind}></timerEventDefinition>`;

export function deploy(body: string, opts: { id?: string; version?: number; extra?: string } = {}): Definition {
  return parseDefinition(bpmn(body, opts), { ...(opts.version !== undefined ? { version: opts.version } : {}) })
    .definition;
}

/** Drives one instance; the clock advances one minute per command unless set. */
export class Sim {
  state: InstanceState | undefined;
  effects: Effect[] = [];
  clock = Date.parse('2026-03-02T01:00:00Z');

  constructor(
    readonly def: Definition,
    readonly options: StepOptions = {},
  ) {}

  get s(): InstanceState {
    if (!this.state) throw new Error('not started');
    return this.state;
  }

  now(): string {
    return new Date(this.clock).toISOString();
  }

  run(cmd: Command): readonly Effect[] {
    this.clock += 60_000;
    const r = step(this.def, this.state, cmd, this.now(), this.options);
    this.state = r.state;
    this.effects.push(...r.effects);
    return r.effects;
  }

  start(variables: Variables = {}): readonly Effect[] {
    return this.run({ type: 'start', instanceId: 'i1', by: 'clerk', variables });
  }

  tasks(node?: string): Task[] {
    return Object.values(this.s.tasks).filter((t) => node === undefined || t.node === node);
  }

  task(node: string, assignee?: string): Task {
    const t = this.tasks(node).find((x) => assignee === undefined || x.assignee === assignee);
    if (!t)
      throw new Error(
        `no open task at ${node}${assignee ? ` for ${assignee}` : ''}; open: ${this.tasks()
          .map((x) => `${x.node}/${x.assignee ?? '-'}`)
          .join(', ')}`,
      );
    return t;
  }

  complete(
    node: string,
    by: string,
    extra: { decision?: string; opinion?: string; variables?: Variables; assignee?: string } = {},
  ): readonly Effect[] {
    const t = this.task(node, extra.assignee);
    return this.run({
      type: 'completeTask',
      taskId: t.id,
      by,
      ...(extra.decision ? { decision: extra.decision } : {}),
      ...(extra.opinion ? { opinion: extra.opinion } : {}),
      ...(extra.variables ? { variables: extra.variables } : {}),
    });
  }

  openNodes(): string[] {
    return this.tasks()
      .map((t) => t.node)
      .sort();
  }
}

export const ofType = <T extends Effect['type']>(effects: readonly Effect[], type: T): Extract<Effect, { type: T }>[] =>
  effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
