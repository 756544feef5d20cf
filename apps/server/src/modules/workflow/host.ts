import { randomUUID } from 'node:crypto';
import { AppError, type WorkingCalendar } from '@guotu/domain';
import {
  step,
  type Command,
  type Definition,
  type Effect,
  type HistoryEntry,
  type InstanceState,
  type Json,
  type Task,
} from '@guotu/engine';
import type { Db, Executor, Tx } from '../../platform/db.ts';
import type { Jobs } from '../../platform/jobs.ts';
import { insertAuditsSql, type AuditEntry } from '../audit/repository.ts';
import type { CalendarProvider } from '../calendar/service.ts';
import { applyClockChange, changeClock, newClock } from '../clocks/service.ts';
import { requestPush, workflowEventRows } from '../feed/service.ts';
import { insertEventsSql } from '../feed/repository.ts';
import type { NotifyDeps } from '../notifications/service.ts';
import type { GroupCommitOptions } from './group-commit.ts';
import { versionDeployedBy } from './called-definitions.ts';
import { clockOfTimeLimit, resolveTimerDue } from './durations.ts';
import * as repo from './repository.ts';
import type { LoadedInstance } from './repository.ts';
import * as write from './repository-write.ts';

/**
 * The host around the pure engine: rebuilds nothing itself (repository.loadInstance does), calls
 * `step`, and applies the new state back to the rows as a difference, then the effects (clocks,
 * timers, jobs), history and one audit record — all inside the caller's transaction.
 */

export interface WorkflowDeps {
  db: Db;
  calendar: CalendarProvider;
  jobs: Jobs | null;
  /** told of every command inside its transaction (the case module follows its instances) */
  listeners?: readonly WorkflowListener[];
  /** the notification service (jobs, retry settings): 催办 and 传阅 notify through it when given */
  notify?: NotifyDeps;
  /** group commit of task operations and starts (group-commit.ts); default two lanes, 64 commands */
  groupCommit?: Partial<GroupCommitOptions>;
}

/** What one command changed, as a listener sees it (inside the command's transaction). */
export interface WorkflowChange {
  instance: { id: string; key: string; version: number; businessKey: string | null; orgId: number };
  command: Command;
  /** the state after the command */
  state: InstanceState;
  /** history entries this command produced */
  history: readonly HistoryEntry[];
  /** db ids of the open tasks after the command, by engine key */
  taskIds: ReadonlyMap<string, string>;
  meta: CommandMeta;
}

/**
 * Follows workflow commands in their transaction: throwing an AppError refuses the command (the
 * whole transaction rolls back), so a listener can enforce rules of its own (a disapproval
 * needs reasons).
 */
export type WorkflowListener = (tx: Tx, change: WorkflowChange) => Promise<void>;

export interface CommandMeta {
  actorId: number | null;
  actorName: string;
  requestId: string | null;
  /** the calendar, fetched before the transaction (PGlite: no query outside the open transaction) */
  calendar: WorkingCalendar;
  now: Date;
  /** opinion of a completion (the engine keeps it only in history) */
  opinion?: string;
}

// ---- optional phase timings (bench/workflow-persisted.bench.ts): off unless enabled --------

export interface PhaseTimings {
  commands: number;
  /** ms in the pure engine's step */
  stepMs: number;
  /** ms writing the row difference with step clocks, history and the audit record (one statement), timer and notify jobs */
  writeMs: number;
  /** ms after the write: the row-locking clock changes (suspend/resume), feed events with their push job, listeners */
  auditMs: number;
  /** ms finding the task and loading the instance with its row lock (incl. waiting for the lock) */
  loadMs: number;
}

/** Times a load when phase timings are on. */
export async function measureLoad<T>(work: () => Promise<T>): Promise<T> {
  if (!timings) return work();
  const t0 = performance.now();
  try {
    return await work();
  } finally {
    timings.loadMs += performance.now() - t0;
  }
}

let timings: PhaseTimings | null = null;

export function enablePhaseTimings(): PhaseTimings {
  timings = { commands: 0, stepMs: 0, writeMs: 0, auditMs: 0, loadMs: 0 };
  return timings;
}

// ---- definitions: immutable per key@version, so a process-wide cache is always right ---------

const definitionCache = new Map<string, Definition>();
const latestKnown = new Map<string, number>();

export function rememberDefinition(definition: Definition): void {
  definitionCache.set(`${definition.key}@${definition.version}`, definition);
  if ((latestKnown.get(definition.key) ?? 0) < definition.version) latestKnown.set(definition.key, definition.version);
}

export async function getDefinition(db: Executor, key: string, version: number): Promise<Definition> {
  const cached = definitionCache.get(`${key}@${version}`);
  if (cached) return cached;
  const row = await repo.findDefinition(db, key, version);
  if (!row) throw new AppError('NOT_FOUND', `process definition ${key} v${version} not found`);
  rememberDefinition(row.compiled);
  return row.compiled;
}

/** Versions bound by `deployment`, by caller key@version and called key (immutable once found). */
const boundByDeployment = new Map<string, number>();
const bindingKey = (callerKey: string, callerVersion: number, calledKey: string): string =>
  `${callerKey}@${callerVersion}>${calledKey}`;

/**
 * Call activities resolve their process synchronously inside `step`: load what they may need
 * first — for the definition itself, the called definitions of its running scopes, and (to any
 * depth) the definitions those call activities would call, per binding: `latest` the newest
 * version, `version` the named one, `deployment` the newest deployed at or before the caller.
 */
async function warmCalledDefinitions(
  db: Executor,
  definition: Definition,
  state: InstanceState | undefined,
): Promise<void> {
  const queue: Definition[] = [definition];
  for (const scope of Object.values(state?.scopes ?? {})) {
    const [key, version] = scope.def?.split('@') ?? [];
    if (key && version) queue.push(await getDefinition(db, key, Number(version)));
  }
  const seen = new Set<string>();
  for (let def = queue.shift(); def; def = queue.shift()) {
    if (seen.has(`${def.key}@${def.version}`)) continue;
    seen.add(`${def.key}@${def.version}`);
    for (const node of Object.values(def.nodes)) {
      const called = node.calledElement;
      if (node.kind !== 'callActivity' || !called || def.processes[called]) continue;
      const latest = await repo.latestDefinitionVersion(db, called);
      let version: number | undefined;
      if (node.versionBinding === 'version') version = node.calledVersion;
      else if (node.versionBinding === 'deployment') {
        const key = bindingKey(def.key, def.version, called);
        version = boundByDeployment.get(key);
        if (version === undefined) {
          version = await versionDeployedBy(db, called, def);
          if (version !== undefined) boundByDeployment.set(key, version);
        }
      } else version = latest?.version;
      if (latest) await getDefinition(db, called, latest.version);
      const target =
        version === undefined ? undefined : await getDefinition(db, called, version).catch(() => undefined);
      if (target) queue.push(target);
    }
  }
}

function loadDefinitionSync(
  key: string,
  binding: { kind: 'latest' | 'deployment' | 'version'; version?: number; callerKey: string; callerVersion: number },
): Definition | undefined {
  // warmCalledDefinitions resolved every binding this step may meet before it began
  const version =
    binding.kind === 'version'
      ? binding.version
      : binding.kind === 'deployment'
        ? boundByDeployment.get(bindingKey(binding.callerKey, binding.callerVersion, key))
        : latestKnown.get(key);
  return version === undefined ? undefined : definitionCache.get(`${key}@${version}`);
}

// ---- one command ----------------------------------------------------------------------------

export interface CommandResult {
  state: InstanceState;
  effects: readonly Effect[];
  /** db ids of the instance's open tasks after the command, by engine key */
  taskIds: Map<string, string>;
}

/** What a start needs besides its meta. */
export interface StartInput {
  definition: Definition;
  businessKey: string | null;
  orgId: number;
  orgPath: string;
  startedBy: number | null;
  variables: Record<string, Json>;
  by: string;
}

/** Starts an instance: inserts the instance row, then applies the first step like any other. */
export async function startInstanceTx(
  deps: WorkflowDeps,
  tx: Tx,
  input: StartInput,
  meta: CommandMeta,
): Promise<CommandResult> {
  return one(await writePrepared(deps, tx, [await prepareStart(tx, input, meta)]));
}

/** Steps a locked, loaded instance with one command and writes the difference back. */
export async function runCommandTx(
  deps: WorkflowDeps,
  tx: Tx,
  loaded: LoadedInstance,
  command: Command,
  meta: CommandMeta,
): Promise<CommandResult> {
  return one(await writePrepared(deps, tx, [await prepareCommand(tx, loaded, command, meta)]));
}

function one<T>(list: readonly T[]): T {
  const [first] = list;
  if (first === undefined) throw new Error('expected one result');
  return first;
}

/**
 * A command stepped and turned into the rows it changes, not written yet: `writePrepared` writes
 * any number of them (on different instances) in one statement. Preparing only reads.
 */
export interface Prepared {
  loaded: LoadedInstance;
  state: InstanceState;
  effects: readonly Effect[];
  command: Command;
  meta: CommandMeta;
  difference: write.Difference;
  clocks: ClockWork;
  history: HistoryEntry[];
  audit: AuditEntry;
}

/** The start of a new instance, prepared. */
export async function prepareStart(tx: Tx, input: StartInput, meta: CommandMeta): Promise<Prepared> {
  const id = randomUUID();
  await warmCalledDefinitions(tx, input.definition, undefined);
  const command: Command = { type: 'start', instanceId: id, by: input.by, variables: input.variables };
  const t0 = performance.now();
  const result = step(input.definition, undefined, command, meta.now.toISOString(), stepOptions(meta.calendar));
  if (timings) timings.stepMs += performance.now() - t0;
  const newInstance: write.NewInstanceRow = {
    id,
    key: input.definition.key,
    version: input.definition.version,
    status: 'running',
    businessKey: input.businessKey,
    orgId: input.orgId,
    startedBy: input.startedBy,
    startedAt: meta.now,
    seq: result.state.seq,
    rootScope: result.state.rootScope,
  };
  const empty: LoadedInstance = {
    row: {
      id,
      key: input.definition.key,
      definitionVersion: input.definition.version,
      status: 'running',
      businessKey: input.businessKey,
      orgId: input.orgId,
      orgPath: input.orgPath,
      startedBy: input.startedBy,
      startedAt: meta.now,
      endedAt: null,
      version: 1,
      seq: result.state.seq,
      rootScope: result.state.rootScope,
      error: null,
    },
    state: {
      ...result.state,
      status: 'running',
      scopes: {},
      tokens: {},
      tasks: {},
      timers: {},
      subscriptions: {},
      completions: {},
      circulations: {},
      history: [],
    },
    openTasks: new Map(),
    circulationIds: new Map(),
    timerIds: new Map(),
  };
  return prepare(tx, empty, result, command, meta, newInstance);
}

/** One command on a locked, loaded instance, stepped and prepared. */
export async function prepareCommand(
  tx: Tx,
  loaded: LoadedInstance,
  command: Command,
  meta: CommandMeta,
): Promise<Prepared> {
  const definition = await getDefinition(tx, loaded.row.key, loaded.row.definitionVersion);
  await warmCalledDefinitions(tx, definition, loaded.state);
  const t0 = performance.now();
  const result = step(definition, loaded.state, command, meta.now.toISOString(), stepOptions(meta.calendar));
  if (timings) timings.stepMs += performance.now() - t0;
  return prepare(tx, loaded, result, command, meta);
}

function stepOptions(calendar: WorkingCalendar) {
  return {
    resolveDue: (spec: Parameters<typeof resolveTimerDue>[1], now: string) => resolveTimerDue(calendar, spec, now),
    loadDefinition: loadDefinitionSync,
  };
}

export function summarize(state: InstanceState): { status: string; activeNodes: string[] } {
  const nodes = new Set<string>();
  for (const t of Object.values(state.tokens)) if (t.wait) nodes.add(t.node);
  return { status: state.status, activeNodes: [...nodes].sort() };
}

/**
 * Equal as JSON (what the rows store): a property holding `undefined` counts as absent, key order
 * does not matter. Compares in place — the row difference runs it on every key of every command,
 * and stringifying both sides cost more than the engine's step.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i] ?? null, b[i] ?? null)) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let count = 0;
  for (const key in x) {
    if (x[key] === undefined) continue;
    count++;
    if (!sameJson(x[key], y[key])) return false;
  }
  for (const key in y) if (y[key] !== undefined) count--;
  return count === 0;
}

const same = sameJson;

function diffKeys<T>(
  before: Record<string, T>,
  after: Record<string, T>,
): { added: T[]; changed: T[]; removed: string[] } {
  const added: T[] = [];
  const changed: T[] = [];
  const removed: string[] = [];
  for (const [k, v] of Object.entries(after)) {
    const old = before[k];
    if (old === undefined) added.push(v);
    else if (!same(old, v)) changed.push(v);
  }
  for (const k of Object.keys(before)) if (!(k in after)) removed.push(k);
  return { added, changed, removed };
}

async function prepare(
  tx: Tx,
  loaded: LoadedInstance,
  result: { state: InstanceState; effects: readonly Effect[] },
  command: Command,
  meta: CommandMeta,
  newInstance?: write.NewInstanceRow,
): Promise<Prepared> {
  const id = loaded.row.id;
  const before = loaded.state;
  const after = result.state;
  const clocks: ClockWork = { newClocks: [], savedClocks: [], audited: [], stopLate: [] };
  const summaryBefore = summarize(before);
  const summaryAfter = summarize(after);
  const history: HistoryEntry[] = [];
  for (const e of result.effects) if (e.type === 'history') history.push(e.entry);
  const ended = after.status === 'completed' || after.status === 'terminated' || after.status === 'failed';
  const changes = await taskChanges(tx, loaded, after, result.effects, meta, clocks);
  const difference: write.Difference = {
    instanceId: id,
    now: meta.now,
    ...(newInstance ? { newInstance } : {}),
    ...scopesAndVariables(before, after),
    ...tokenChanges(before, after),
    ...changes,
    newClocks: clocks.newClocks,
    savedClocks: clocks.savedClocks,
    ...timerChanges(loaded, after, command),
    ...otherChanges(loaded, after, meta.now),
    instance: {
      status: after.status,
      seq: after.seq,
      error: after.error ?? null,
      endedAt: ended ? (loaded.row.endedAt ?? meta.now) : null,
    },
    history: { entries: history, before: summaryBefore, after: summaryAfter, requestId: meta.requestId },
  };
  // The command's audit record, listing the step clocks it started and stopped.
  const audit: AuditEntry = {
    actorId: meta.actorId,
    actorName: meta.actorName,
    requestId: meta.requestId,
    action: `workflow.${command.type}`,
    entityType: 'workflow_instance',
    entityId: id,
    before: command.type === 'start' ? null : summaryBefore,
    after: {
      ...summaryAfter,
      command: auditedCommand(command),
      ...(clocks.audited.length + clocks.newClocks.length
        ? {
            clocks: [
              ...clocks.audited,
              ...clocks.newClocks.map((c) => ({
                action: 'clock.start',
                after: { subjectId: c.subjectId, purpose: c.purpose, unit: c.unit, limit: c.limit, dueAt: c.dueAt },
              })),
            ],
          }
        : {}),
    },
  };
  return { loaded, state: after, effects: result.effects, command, meta, difference, clocks, history, audit };
}

/**
 * Writes prepared commands — one, or a batch on different instances — in the caller's
 * transaction: every row difference and every audit record in one statement, then the rare row-locking work (clock
 * changes of suspend/resume), timer and service jobs, the feed events of all commands with one
 * push request, and the listeners, command by command. Anything thrown leaves the transaction to
 * roll back: all or nothing.
 */
export async function writePrepared(
  deps: WorkflowDeps,
  tx: Tx,
  items: readonly Prepared[],
  /**
   * given: the feed push is the caller's to request after the commit (it sets `wanted`), as the
   * group commit does once per interval instead of once per transaction; absent: requested in
   * this transaction
   */
  deferPush?: { wanted: boolean },
): Promise<CommandResult[]> {
  if (items.length === 0) return [];
  const t0 = performance.now();
  // case events for the provincial supervision feed, in this transaction (docs/supervision.md § Feed)
  const events = workflowEventRows(
    items.map((p) => ({
      instanceId: p.loaded.row.id,
      caseNumber: p.loaded.row.businessKey,
      orgId: p.loaded.row.orgId,
      entries: p.history,
      taskIdOf: (key: string) => p.loaded.openTasks.get(key)?.id,
    })),
  );
  const newTasks = items.some((p) => p.difference.newTasks.length > 0);
  const applied = await write.applyDifferences(
    tx,
    items.map((p) => p.difference),
    [
      insertAuditsSql(items.map((p) => p.audit)),
      ...(events.length > 0 ? [insertEventsSql(events, newTasks ? write.NEW_TASK_IDS : null)] : []),
    ],
  );
  const late: Late = [];
  const results: CommandResult[] = [];
  for (const p of items) {
    const id = p.loaded.row.id;
    const { loaded, meta } = p;
    // The load locked the open tasks' clocks, so none can have changed since it was read.
    for (const saved of p.clocks.savedClocks)
      if (!applied.savedClockIds.has(saved.id))
        throw new AppError('CONFLICT', `clock ${saved.id} changed while instance ${id} was locked; try again`);
    for (const clockId of p.clocks.stopLate)
      late.push(() =>
        changeClock(tx, meta.calendar, clockId, { kind: 'stop', at: meta.now }, meta.actorName).then(() => undefined),
      );
    const newTaskIds = applied.taskIds.get(id);
    const circulationIds = applied.circulationIds.get(id);
    const timerIds = applied.timerIds.get(id);
    // Read receipts on a circulation created in this same command (rare): its id exists only now.
    const newReads = p.difference.newCirculations.flatMap((c) =>
      Object.entries(c.readBy).map(([username, at]) => ({
        circulationId: circulationIds?.get(c.id) ?? '',
        username,
        at: new Date(at),
      })),
    );
    await write.insertReads(
      tx,
      newReads.filter((r) => r.circulationId !== ''),
    );
    if (deps.jobs) {
      for (const t of p.difference.timers) {
        const timerId = timerIds?.get(t.id);
        if (timerId)
          await deps.jobs.enqueue(
            tx,
            'workflow.timer.fire',
            { timerId, iteration: t.iteration },
            t.due ? { startAfter: t.due } : {},
          );
      }
    }
    await applyEffects(deps, tx, loaded, p.state, p.effects, meta, late);
    const taskIds = new Map<string, string>();
    for (const key of Object.keys(p.state.tasks)) {
      const dbId = newTaskIds?.get(key) ?? loaded.openTasks.get(key)?.id;
      if (dbId) taskIds.set(key, dbId);
    }
    results.push({ state: p.state, effects: p.effects, taskIds });
  }
  const t1 = performance.now();
  for (const work of late) await work();
  if (events.length > 0) {
    if (deferPush) deferPush.wanted = true;
    else await requestPush(tx, deps.jobs);
  }
  for (const [k, p] of items.entries())
    for (const listener of deps.listeners ?? [])
      await listener(tx, {
        instance: {
          id: p.loaded.row.id,
          key: p.loaded.row.key,
          version: p.loaded.row.definitionVersion,
          businessKey: p.loaded.row.businessKey,
          orgId: p.loaded.row.orgId,
        },
        command: p.command,
        state: p.state,
        history: p.history,
        taskIds: results[k]?.taskIds ?? new Map<string, string>(),
        meta: p.meta,
      });
  if (timings) {
    timings.commands += items.length;
    timings.writeMs += t1 - t0;
    timings.auditMs += performance.now() - t1;
  }
  return results;
}

/** The command as audited: variables are named, not copied (they may hold personal data). */
function auditedCommand(command: Command): Record<string, unknown> {
  const { type, ...rest } = command as Command & { variables?: Record<string, Json> };
  const out: Record<string, unknown> = { type, ...rest };
  if (rest.variables) out.variables = Object.keys(rest.variables);
  return out;
}

function scopesAndVariables(
  before: InstanceState,
  after: InstanceState,
): Pick<write.Difference, 'delScopes' | 'scopes' | 'delVars' | 'vars'> {
  const strip = (s: InstanceState['scopes']) =>
    Object.fromEntries(Object.entries(s).map(([k, v]) => [k, { ...v, vars: {} }]));
  const scopes = diffKeys(strip(before.scopes), strip(after.scopes));
  const flat = (s: InstanceState['scopes']) => {
    const out: Record<string, { scope: string; name: string; value: Json }> = {};
    for (const scope of Object.values(s))
      for (const [name, value] of Object.entries(scope.vars))
        out[`${scope.id}\u0000${name}`] = { scope: scope.id, name, value };
    return out;
  };
  const fb = flat(before.scopes);
  const vars = diffKeys(fb, flat(after.scopes));
  return {
    delScopes: scopes.removed,
    scopes: [...scopes.added, ...scopes.changed],
    delVars: vars.removed.map((k) => fb[k]).filter((v) => v !== undefined),
    vars: [...vars.added, ...vars.changed],
  };
}

function tokenChanges(before: InstanceState, after: InstanceState): Pick<write.Difference, 'delTokens' | 'tokens'> {
  const tokens = diffKeys(before.tokens, after.tokens);
  return { delTokens: tokens.removed, tokens: [...tokens.added, ...tokens.changed] };
}

/**
 * Work that appends audit records (clock changes audit themselves) is deferred to the end of
 * the transaction, next to the command's own record: when the audit chain serialised writers on a
 * lock held to commit (before ADR 0006), that kept the lock off the other writes of the command.
 */
type Late = Array<() => Promise<void>>;

/**
 * The step clocks a command starts and stops, written by the difference's statement: starts are
 * inserted with the new tasks, stops computed from the clock rows loaded with the instance and
 * saved if the row is unchanged since. The command's audit record lists them (`after.clocks`)
 * instead of one record per clock.
 */
interface ClockWork {
  newClocks: write.Difference['newClocks'];
  savedClocks: Array<write.Difference['savedClocks'][number]>;
  audited: Array<{ id: string; action: string; before: unknown; after: unknown }>;
  /** clocks to stop the row-locking way (`changeClock`): not loaded, or changed since the load */
  stopLate: string[];
}

async function taskChanges(
  tx: Tx,
  loaded: LoadedInstance,
  after: InstanceState,
  effects: readonly Effect[],
  meta: CommandMeta,
  clocks: ClockWork,
): Promise<Pick<write.Difference, 'closeTasks' | 'updateTasks' | 'newTasks'>> {
  const tasks = diffKeys(loaded.state.tasks, after.tasks);
  const completed = new Map<string, { by: string; decision?: string }>();
  for (const e of effects) if (e.type === 'task.completed') completed.set(e.taskId, e);
  const closeTasks: write.Difference['closeTasks'] = [];
  for (const key of tasks.removed) {
    const ref = loaded.openTasks.get(key);
    if (!ref) continue;
    const done = completed.get(key);
    closeTasks.push({
      id: ref.id,
      status: done ? 'completed' : 'cancelled',
      by: done?.by ?? null,
      decision: done?.decision ?? null,
      opinion: done ? (meta.opinion ?? null) : null,
    });
    if (ref.clock && !ref.clock.stoppedAt) {
      const { patch, audit } = applyClockChange(meta.calendar, ref.clock, { kind: 'stop', at: meta.now });
      clocks.savedClocks.push({ id: ref.clock.id, version: ref.clock.version, ...patch });
      clocks.audited.push({ id: ref.clock.id, ...audit });
    } else if (ref.clockId) clocks.stopLate.push(ref.clockId); // changeClock refuses a stopped clock
  }
  const updateTasks: write.Difference['updateTasks'] = [];
  for (const task of tasks.changed) {
    const ref = loaded.openTasks.get(task.id);
    if (!ref) continue;
    const was = loaded.state.tasks[task.id];
    updateTasks.push({
      id: ref.id,
      task,
      claim: task.claimed && !was?.claimed ? 'set' : !task.claimed && was?.claimed ? 'clear' : 'keep',
    });
  }
  const newTasks: write.NewTaskRow[] = [];
  for (const task of tasks.added) newTasks.push(await newTaskRow(tx, loaded, after, task, meta, clocks));
  return { closeTasks, updateTasks, newTasks };
}

/**
 * The org unit of a task: `guotu:orgScope` absent or `self` = the instance's unit; `parent` and
 * `province` walk up its path; six digits = the unit of that GB/T 2260 division.
 */
async function newTaskRow(
  tx: Tx,
  loaded: LoadedInstance,
  after: InstanceState,
  task: Task,
  meta: CommandMeta,
  clocks: ClockWork,
): Promise<write.NewTaskRow> {
  let orgId = loaded.row.orgId;
  let orgPath = loaded.row.orgPath;
  const scope = task.orgScope?.trim();
  if (scope && scope !== 'self') {
    const ids = orgPath.split('/').filter(Boolean).map(Number);
    const target = scope === 'parent' ? ids[ids.length - 2] : scope === 'province' ? ids[0] : undefined;
    const org =
      target !== undefined
        ? await repo.findOrg(tx, { id: target })
        : /^\d{6}$/.test(scope)
          ? await repo.findOrg(tx, { divisionCode: scope })
          : undefined;
    if (!org)
      throw new AppError('DEFINITION_INVALID', `task ${task.node}: guotu:orgScope "${scope}" names no org unit`, [
        { path: task.node, message: `orgScope ${scope} not found` },
      ]);
    orgId = org.id;
    orgPath = org.path;
  }
  let dueAt: Date | null = null;
  let newClockSubject: string | undefined;
  const limit = task.timeLimit ? clockOfTimeLimit(task.timeLimit, task.calendar) : undefined;
  if (limit) {
    const clock = newClock(meta.calendar, {
      subjectType: 'task',
      subjectId: `${loaded.row.id}:${task.id}`,
      purpose: 'step',
      unit: limit.unit,
      limit: limit.limit,
      startedAt: meta.now,
      now: meta.now,
    });
    clocks.newClocks.push(clock);
    dueAt = clock.dueAt;
    newClockSubject = clock.subjectId;
  }
  const via = after.tokens[task.token]?.via;
  return {
    task,
    orgId,
    orgPath,
    dueAt,
    clockId: null,
    ...(newClockSubject ? { newClockSubject } : {}),
    ...(via ? { via } : {}),
  };
}

function timerChanges(
  loaded: LoadedInstance,
  after: InstanceState,
  command: Command,
): Pick<write.Difference, 'firedTimers' | 'cancelledTimers' | 'timers'> {
  const timers = diffKeys(loaded.state.timers, after.timers);
  const fired = command.type === 'fireTimer' ? command.timerId : undefined;
  return {
    firedTimers: timers.removed.filter((k) => k === fired),
    cancelledTimers: timers.removed.filter((k) => k !== fired),
    timers: [...timers.added, ...timers.changed].map((t) => ({ ...t, due: t.dueAt ? new Date(t.dueAt) : null })),
  };
}

function otherChanges(
  loaded: LoadedInstance,
  after: InstanceState,
  now: Date,
): Pick<
  write.Difference,
  'delSubscriptions' | 'subscriptions' | 'delCompletions' | 'completions' | 'newCirculations' | 'reads'
> {
  const before = loaded.state;
  const subs = diffKeys(before.subscriptions, after.subscriptions);
  const completions = diffKeys(before.completions, after.completions);
  const circ = diffKeys(before.circulations, after.circulations);
  const reads: write.Difference['reads'] = [];
  for (const c of circ.changed) {
    const circulationId = loaded.circulationIds.get(c.id);
    if (!circulationId) continue;
    const was = before.circulations[c.id]?.readBy ?? {};
    for (const [user, at] of Object.entries(c.readBy))
      if (!(user in was))
        reads.push({ circulationId, username: user, at: Number.isNaN(Date.parse(at)) ? now : new Date(at) });
  }
  return {
    delSubscriptions: subs.removed,
    subscriptions: [...subs.added, ...subs.changed],
    delCompletions: completions.removed,
    completions: [...completions.added, ...completions.changed],
    newCirculations: circ.added,
    reads,
  };
}

async function applyEffects(
  deps: WorkflowDeps,
  tx: Tx,
  loaded: LoadedInstance,
  after: InstanceState,
  effects: readonly Effect[],
  meta: CommandMeta,
  late: Late,
): Promise<void> {
  for (const e of effects) {
    switch (e.type) {
      case 'service.invoke':
        if (deps.jobs)
          await deps.jobs.enqueue(tx, 'workflow.service.invoke', {
            instanceId: loaded.row.id,
            jobId: e.jobId,
            handler: e.handler,
            node: e.node,
            attempt: e.attempt,
            variables: e.variables,
          });
        break;
      case 'notify':
        if (deps.jobs)
          await deps.jobs.enqueue(tx, 'workflow.notify', {
            instanceId: loaded.row.id,
            kind: e.kind,
            to: e.to,
            taskId: e.taskId ?? null,
            circulationId: e.circulationId ?? null,
            message: e.message ?? null,
          });
        break;
      case 'instance.suspended':
      case 'instance.resumed':
        late.push(() => toggleTaskClocks(tx, loaded, after, e.type === 'instance.suspended', meta));
        if (e.type === 'instance.resumed' && deps.jobs) {
          // A timer that fell due while suspended was left pending by its job: fire it now.
          for (const [key, timerId] of loaded.timerIds) {
            const t = after.timers[key];
            if (t)
              await deps.jobs.enqueue(
                tx,
                'workflow.timer.fire',
                { timerId },
                t.dueAt ? { startAfter: new Date(t.dueAt) } : {},
              );
          }
        }
        break;
      case 'task.created':
      case 'task.updated':
      case 'task.completed':
      case 'task.cancelled':
      case 'timer.schedule':
      case 'timer.cancel':
      case 'history':
      case 'instance.completed':
      case 'instance.terminated':
      case 'instance.failed':
        break; // written from the state difference
      case 'message.send':
      case 'signal.thrown':
        break; // routing between instances is not done yet (docs/workflow.md, known limits)
    }
  }
}

/** 挂起 stops the step clocks of the open tasks; 恢复 resumes them with their remaining time. */
async function toggleTaskClocks(
  tx: Tx,
  loaded: LoadedInstance,
  after: InstanceState,
  pause: boolean,
  meta: CommandMeta,
): Promise<void> {
  for (const key of Object.keys(after.tasks)) {
    const ref = loaded.openTasks.get(key);
    if (!ref?.clockId) continue;
    const change = pause
      ? { kind: 'pause' as const, pauseKind: 'suspension' as const, reason: 'instance suspended', at: meta.now }
      : { kind: 'resume' as const, at: meta.now };
    const row = await changeClock(tx, meta.calendar, ref.clockId, change, meta.actorName);
    await write.setTaskDue(tx, ref.id, row.dueAt);
  }
}
