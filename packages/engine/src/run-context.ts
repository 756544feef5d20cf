import { AppError } from '@guotu/domain';
import type { Effect } from './effects.ts';
import { evaluate, truthy } from './expression.ts';
import type { Expr } from './expression.ts';
import { addDuration, isValidDate, parseCycle, parseDuration } from './iso-duration.ts';
import type { Definition, FlowNode, TimerSpec } from './model.ts';
import type { HistoryEntry, InstanceState, Json, Scope, Token, Variables } from './state.ts';

/** Thrown by a handler (or raised internally) to signal a BPMN error with a code. */
export class BpmnError extends Error {
  override readonly name = 'BpmnError';
  constructor(
    readonly code: string,
    message = code,
  ) {
    super(message);
  }
}

export interface HandlerContext {
  readonly node: string;
  readonly variables: Readonly<Variables>;
}
/** A pure, synchronous handler: returns variables to set, or throws BpmnError. */
export type Handler = (ctx: HandlerContext) => { variables?: Variables } | undefined | void;

export interface StepOptions {
  /** Synchronous handlers for script/service tasks; unregistered ones become `service.invoke` effects. */
  readonly handlers?: Readonly<Record<string, Handler>>;
  /**
   * Resolves a timer to its due instant (e.g. with the working-day calendar). Without it the
   * engine resolves natural-time specs itself and leaves `dueAt` out for calendar timers.
   */
  readonly resolveDue?: (spec: TimerSpec, now: string, iteration: number) => string | undefined;
  /** Called definitions for callActivity (by calledElement and the activity's version binding). */
  readonly loadDefinition?: (
    key: string,
    binding: { kind: 'latest' | 'deployment' | 'version'; version?: number; callerKey: string; callerVersion: number },
  ) => Definition | undefined;
}

/** Mutable working copy for one step; never escapes `step`. */
export class Run {
  readonly effects: Effect[] = [];
  readonly agenda: string[] = [];
  readonly createdTasks: string[] = [];
  /** Node entries so far in this step (see MAX_ENTRIES_PER_STEP). */
  entered = 0;
  private readonly defs = new Map<string, Definition>();

  constructor(
    readonly def: Definition,
    readonly s: InstanceState,
    readonly now: string,
    readonly opts: StepOptions,
  ) {}

  id(prefix: string): string {
    this.s.seq += 1;
    return `${prefix}${this.s.seq}`;
  }

  emit(e: Effect): void {
    this.effects.push(e);
  }

  log(entry: Omit<HistoryEntry, 'at'>): void {
    const full: HistoryEntry = { at: this.now, ...entry };
    this.s.history.push(full);
    this.emit({ type: 'history', entry: full });
  }

  registerDefinition(ref: string, d: Definition): void {
    this.defs.set(ref, d);
  }

  defOfScope(scopeId: string): Definition {
    let sc: Scope | undefined = this.s.scopes[scopeId];
    while (sc) {
      if (sc.def !== undefined) {
        const d = this.defs.get(sc.def) ?? this.loadRef(sc.def);
        return d;
      }
      const parent: Token | undefined = sc.parentToken !== undefined ? this.s.tokens[sc.parentToken] : undefined;
      sc = parent ? this.s.scopes[parent.scope] : undefined;
    }
    return this.def;
  }

  private loadRef(ref: string): Definition {
    const at = ref.lastIndexOf('@');
    const key = ref.slice(0, at);
    const version = Number(ref.slice(at + 1));
    if (key === this.def.key && version === this.def.version) return this.def;
    const d = this.opts.loadDefinition?.(key, {
      kind: 'version',
      version,
      callerKey: this.def.key,
      callerVersion: this.def.version,
    });
    if (!d) throw new AppError('NOT_FOUND', `called definition ${ref} is not available`);
    this.defs.set(ref, d);
    return d;
  }

  token(id: string): Token {
    const t = this.s.tokens[id];
    if (!t) throw new AppError('NOT_FOUND', `token ${id} not found`);
    return t;
  }

  node(t: Token): FlowNode {
    const n = this.defOfScope(t.scope).nodes[t.node];
    if (!n) throw new AppError('DEFINITION_INVALID', `node ${t.node} not in definition`);
    return n;
  }

  /** The scope whose variables are the process variables for this token (process or call). */
  dataScope(scopeId: string): Scope {
    let sc = this.s.scopes[scopeId];
    while (sc && sc.kind !== 'process' && sc.kind !== 'callActivity') {
      const pt: Token | undefined = sc.parentToken !== undefined ? this.s.tokens[sc.parentToken] : undefined;
      sc = pt ? this.s.scopes[pt.scope] : undefined;
    }
    const root = sc ?? this.s.scopes[this.s.rootScope];
    if (!root) throw new AppError('NOT_FOUND', 'instance has no root scope');
    return root;
  }

  lookup(t: Token | undefined, scopeId: string): (name: string) => unknown {
    return (name: string): unknown => {
      if (t?.vars && name in t.vars) return t.vars[name];
      let sc: Scope | undefined = this.s.scopes[scopeId];
      while (sc) {
        if (name in sc.vars) return sc.vars[name];
        if (sc.kind === 'process' || sc.kind === 'callActivity') return undefined;
        const pt: Token | undefined = sc.parentToken !== undefined ? this.s.tokens[sc.parentToken] : undefined;
        if (pt?.vars && name in pt.vars) return pt.vars[name];
        sc = pt ? this.s.scopes[pt.scope] : undefined;
      }
      return undefined;
    };
  }

  visibleVars(t: Token): Variables {
    const out: Variables = {};
    const chain: Variables[] = [];
    if (t.vars) chain.push(t.vars);
    let sc: Scope | undefined = this.s.scopes[t.scope];
    while (sc) {
      chain.push(sc.vars);
      if (sc.kind === 'process' || sc.kind === 'callActivity') break;
      const pt: Token | undefined = sc.parentToken !== undefined ? this.s.tokens[sc.parentToken] : undefined;
      if (pt?.vars) chain.push(pt.vars);
      sc = pt ? this.s.scopes[pt.scope] : undefined;
    }
    for (const v of chain.reverse()) Object.assign(out, v);
    return out;
  }

  setVars(scopeId: string, vars: Variables | undefined): void {
    if (vars) Object.assign(this.dataScope(scopeId).vars, vars);
  }

  evalExpr(e: Expr, t: Token | undefined, scopeId: string): unknown {
    return evaluate(e, this.lookup(t, scopeId));
  }

  /** Evaluates a condition: true only for `true` / "true" (see expression.ts `truthy`). */
  holds(e: Expr, t: Token | undefined, scopeId: string): boolean {
    return truthy(evaluate(e, this.lookup(t, scopeId)));
  }

  /** Evaluates `${name}`-style text (assignee, cardinality) or returns the literal. */
  evalText(text: string, t: Token): Json {
    const m = /^\$\{\s*([A-Za-z_][\w.]*)\s*\}$/.exec(text.trim());
    if (!m) return text;
    const v = this.lookup(t, t.scope)(m[1] ?? '');
    return (v ?? null) as Json;
  }

  dueAt(spec: TimerSpec, iteration: number): string | undefined {
    if (this.opts.resolveDue) return this.opts.resolveDue(spec, this.now, iteration);
    if (spec.calendar !== undefined && spec.calendar !== 'natural') return undefined;
    if (spec.kind === 'date') return isValidDate(spec.value) ? new Date(spec.value).toISOString() : undefined;
    const d = spec.kind === 'duration' ? parseDuration(spec.value) : parseCycle(spec.value)?.interval;
    return d ? addDuration(this.now, d) : undefined;
  }
}
