import type { Expr } from './expression.ts';

/** How a timer is specified; the host resolves it to an instant (see docs/engine.md §Timers). */
export interface TimerSpec {
  readonly kind: 'duration' | 'cycle' | 'date';
  /** ISO-8601 text as written: `PT1H`, `R3/PT1H`, `2026-05-01T09:00:00Z`. */
  readonly value: string;
  /** `workday` means the host counts working days (guotu:calendar); absent = natural time. */
  readonly calendar?: string;
}

export type EventDefinition =
  | { readonly type: 'none' }
  | { readonly type: 'timer'; readonly timer: TimerSpec }
  | { readonly type: 'message'; readonly message: string }
  | { readonly type: 'signal'; readonly signal: string }
  | { readonly type: 'error'; readonly errorCode?: string }
  | { readonly type: 'terminate' };

export type NodeKind =
  | 'startEvent'
  | 'endEvent'
  | 'intermediateCatchEvent'
  | 'intermediateThrowEvent'
  | 'boundaryEvent'
  | 'userTask'
  | 'serviceTask'
  | 'scriptTask'
  | 'sendTask'
  | 'receiveTask'
  | 'manualTask'
  | 'task'
  | 'exclusiveGateway'
  | 'parallelGateway'
  | 'inclusiveGateway'
  | 'eventBasedGateway'
  | 'subProcess'
  | 'callActivity';

/** 会签 modes: all must sign; any one (或签); a ratio of approvals; or one rejection vetoes. */
export type Countersign =
  | { readonly mode: 'all' }
  | { readonly mode: 'any' }
  | { readonly mode: 'ratio'; readonly ratio: number }
  | { readonly mode: 'veto' };

export interface MultiInstance {
  readonly sequential: boolean;
  readonly cardinality?: string;
  readonly collection?: string;
  readonly elementVariable?: string;
  readonly completionCondition?: Expr;
  readonly countersign?: Countersign;
  /** BPMN behavior None/One: the signal thrown (to this activity's boundary) as instances complete. */
  readonly behavior?: { readonly mode: 'none' | 'one'; readonly signal: string };
}

export interface UserTaskSpec {
  /** A user id or `${variable}`. */
  readonly assignee?: string;
  readonly candidateRoles: readonly string[];
  readonly orgScope?: string;
  readonly formKey?: string;
  /** ISO-8601 duration, resolved by the host using `calendar`. */
  readonly timeLimit?: string;
  readonly calendar?: string;
}

export interface VariableMapping {
  readonly source: string;
  readonly target: string;
}

export interface FlowNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly name?: string;
  /** Id of the process or subprocess directly containing this node. */
  readonly parent: string;
  readonly incoming: readonly string[];
  readonly outgoing: readonly string[];
  readonly defaultFlow?: string;
  /** Gateways: the declared gatewayDirection, if any. */
  readonly direction?: 'Unspecified' | 'Converging' | 'Diverging' | 'Mixed';
  readonly event?: EventDefinition;
  readonly attachedTo?: string;
  readonly cancelActivity?: boolean;
  /** Boundary event ids attached to this activity. */
  readonly boundaries: readonly string[];
  /** Script/service handler name (a script body is a handler name, never code). */
  readonly handler?: string;
  readonly retries?: number;
  readonly user?: UserTaskSpec;
  readonly multiInstance?: MultiInstance;
  readonly calledElement?: string;
  readonly versionBinding?: 'latest' | 'deployment' | 'version';
  readonly calledVersion?: number;
  readonly inputs?: readonly VariableMapping[];
  readonly outputs?: readonly VariableMapping[];
  /** Subprocess: ids of its none start events. */
  readonly starts?: readonly string[];
}

export interface SequenceFlow {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly condition?: Expr;
}

export interface ProcessDefinition {
  readonly id: string;
  readonly name?: string;
  readonly executable: boolean;
  readonly starts: readonly string[];
}

/** A deployed, immutable definition: a BPMN document compiled to plain JSON. */
export interface Definition {
  readonly key: string;
  readonly version: number;
  /** The process a `start` command instantiates. */
  readonly mainProcess: string;
  readonly processes: Readonly<Record<string, ProcessDefinition>>;
  readonly nodes: Readonly<Record<string, FlowNode>>;
  readonly flows: Readonly<Record<string, SequenceFlow>>;
}

export interface DefinitionWarning {
  readonly path: string;
  readonly message: string;
}
