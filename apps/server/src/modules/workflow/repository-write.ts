import { sql, type RawBuilder } from 'kysely';
import type {
  Circulation,
  CompletionRecord,
  HistoryEntry,
  InstanceState,
  Json,
  Scope,
  Subscription,
  Task,
  TimerEntry,
  Token,
} from '@guotu/engine';
import { PREPARED, type Tx } from '../../platform/db.ts';
import { insertClocksSql, saveClocksIfVersionSql, type NewClockValues } from '../clocks/repository.ts';

/** Writes of the workflow module: each takes a batch, so one command costs a few statements. */

const json = (value: unknown): string => JSON.stringify(value ?? null);

export interface NewInstanceRow {
  id: string;
  key: string;
  version: number;
  status: InstanceState['status'];
  businessKey: string | null;
  orgId: number;
  startedBy: number | null;
  startedAt: Date;
  seq: number;
  rootScope: string;
}

export async function insertInstance(tx: Tx, row: NewInstanceRow): Promise<void> {
  await tx
    .insertInto('wf_instances')
    .values({
      id: row.id,
      definition_key: row.key,
      definition_version: row.version,
      status: row.status,
      business_key: row.businessKey,
      org_id: row.orgId,
      started_by: row.startedBy,
      started_at: row.startedAt,
      seq: row.seq,
      root_scope: row.rootScope,
      error: null,
    })
    .execute();
}

// ---- tasks ----------------------------------------------------------------------------------

export interface NewTaskRow {
  task: Task;
  orgId: number;
  orgPath: string;
  dueAt: Date | null;
  clockId: string | null;
  /** a clock of `Difference.newClocks` (by its subject id) to link, inserted by the same statement */
  newClockSubject?: string;
  /** the sequence flow the task's token arrived by (for the diagram's path) */
  via?: string;
}

function taskData(task: Task, via?: string): string {
  return json({
    token: task.token,
    claimed: task.claimed,
    orgScope: task.orgScope,
    timeLimit: task.timeLimit,
    calendar: task.calendar,
    ...(via ? { via } : {}),
  });
}

export async function insertReads(
  tx: Tx,
  reads: Array<{ circulationId: string; username: string; at: Date }>,
): Promise<void> {
  if (reads.length === 0) return;
  await tx
    .insertInto('wf_circulation_reads')
    .values(reads.map((r) => ({ circulation_id: r.circulationId, username: r.username, read_at: r.at })))
    .onConflict((oc) => oc.columns(['circulation_id', 'username']).doNothing())
    .execute();
}

export async function setTaskDue(tx: Tx, id: string, dueAt: Date | null): Promise<void> {
  await tx.updateTable('wf_tasks').set({ due_at: dueAt }).where('id', '=', id).execute();
}

// ---- the differences of a batch of commands in ONE statement ---------------------------------

/**
 * One command's row changes. `applyDifferences` writes those of every command of a transaction
 * (one, or a batch of commands on different instances) as a single statement of data-modifying
 * CTEs, each set-based over all instances (one round trip, and one plan whatever the batch size;
 * on PGlite, one pass through the gate instead of ten per command). The parts touch disjoint rows
 * by construction (a key is either removed, changed or added, and each instance appears once),
 * which is what a single statement's shared snapshot requires.
 */
export interface Difference {
  instanceId: string;
  now: Date;
  /** a start: the instance row is inserted by the same statement (with the state after the step) */
  newInstance?: NewInstanceRow;
  delScopes: string[];
  scopes: Scope[];
  delVars: Array<{ scope: string; name: string }>;
  vars: Array<{ scope: string; name: string; value: Json }>;
  delTokens: string[];
  tokens: Token[];
  closeTasks: Array<{
    id: string;
    status: 'completed' | 'cancelled';
    by: string | null;
    decision: string | null;
    opinion: string | null;
  }>;
  updateTasks: Array<{ id: string; task: Task; claim: 'set' | 'clear' | 'keep' }>;
  newTasks: NewTaskRow[];
  /** step clocks of new tasks (linked by subject id) */
  newClocks: NewClockValues[];
  /** clock changes computed from the loaded rows; saved only if the row is still that version */
  savedClocks: Parameters<typeof saveClocksIfVersionSql>[0];
  firedTimers: string[];
  cancelledTimers: string[];
  /** new or rescheduled timers (upserted back to pending) */
  timers: Array<TimerEntry & { due: Date | null }>;
  delSubscriptions: string[];
  subscriptions: Subscription[];
  delCompletions: string[];
  completions: CompletionRecord[];
  newCirculations: Circulation[];
  reads: Array<{ circulationId: string; username: string; at: Date }>;
  instance: {
    status: InstanceState['status'];
    seq: number;
    error: InstanceState['error'] | null;
    endedAt: Date | null;
  };
  history: { entries: HistoryEntry[]; before: unknown; after: unknown; requestId: string | null };
}

export interface AppliedIds {
  /** db ids of the new tasks, timers and circulations, by instance id and engine key */
  taskIds: Map<string, Map<string, string>>;
  timerIds: Map<string, Map<string, string>>;
  circulationIds: Map<string, Map<string, string>>;
  /** ids of the new clocks by subject id */
  clockIds: Map<string, string>;
  /** the clocks of `savedClocks` that were saved (the others had changed since the load) */
  savedClockIds: Set<string>;
}

/**
 * The relation of `applyDifferences`'s statement that holds the new tasks' ids (`id`, instance
 * `i`, task key `k`), for embedded statements that refer to a task created by the same statement.
 */
export const NEW_TASK_IDS = 'ins_tasks';

const arr = (column: string) => sql.raw(`array(select jsonb_array_elements_text(x.${column}))`);

/**
 * Writes the differences (each instance at most once) and the statements of other modules in
 * `embedded` (statements of other modules: the audit records) as one statement.
 */
export async function applyDifferences(
  tx: Tx,
  ds: readonly Difference[],
  embedded: ReadonlyArray<RawBuilder<unknown>> = [],
): Promise<AppliedIds> {
  const parts: Array<{ name: string; body: ReturnType<typeof sql> }> = [];
  const add = (name: string, body: ReturnType<typeof sql>) => parts.push({ name, body });
  /** the rows of every difference, each with its instance id `i` (and the command's time `now`) */
  const rows = <T>(pick: (d: Difference) => readonly T[], shape: (x: T, d: Difference) => object): string =>
    json(ds.flatMap((d) => pick(d).map((x) => ({ i: d.instanceId, now: d.now.toISOString(), ...shape(x, d) }))));
  const any = (pick: (d: Difference) => readonly unknown[]) => ds.some((d) => pick(d).length > 0);
  // Every UPDATE and DELETE also names its rows' keys as an array: the planner takes the
  // recordset for 100 rows and would hash-join it against a whole table (a sequential scan of
  // wf_instances per group); `key = any(array)` keeps it on the index whatever the table's size.
  const of = (pick: (d: Difference) => readonly unknown[]) =>
    sql`${ds.filter((d) => pick(d).length > 0).map((d) => d.instanceId)}::uuid[]`;
  const idsOf = (list: ReadonlyArray<{ id: string }>) => sql`${list.map((x) => x.id)}::bigint[]`;
  const one = <T>(x: T): readonly T[] => [x];
  const instanceOf = (d: Difference) => ({
    st: d.instance.status,
    seq: d.instance.seq,
    err: d.instance.error ?? null,
    ended: d.instance.endedAt?.toISOString() ?? null,
  });
  const started = ds.filter((d) => d.newInstance);
  // The rows below reference the instances; their foreign keys are checked at the end of the statement.
  // Version 2: a start is the row's first command, as when it was inserted and then stepped.
  if (started.length)
    add(
      'ins_inst',
      sql`insert into wf_instances (id, definition_key, definition_version, status, business_key, org_id, started_by, started_at, seq, root_scope, error, ended_at, version)
      select x.i, x.k, x.v, x.st, x.bk, x.org, x.by, x.at, x.seq, x.root, x.err, x.ended, 2
      from jsonb_to_recordset(${rows(
        (d) => (d.newInstance ? one(d.newInstance) : []),
        (n, d) => ({
          k: n.key,
          v: n.version,
          bk: n.businessKey,
          org: n.orgId,
          by: n.startedBy,
          at: n.startedAt.toISOString(),
          root: n.rootScope,
          ...instanceOf(d),
        }),
      )}::jsonb)
        as x(i uuid, k text, v integer, st text, bk text, org integer, by integer, at timestamptz, root text, seq integer, err jsonb, ended timestamptz)`,
    );
  if (any((d) => d.delScopes))
    add(
      'del_scopes',
      sql`delete from wf_scopes s using jsonb_to_recordset(${rows(
        (d) => d.delScopes,
        (k) => ({ k }),
      )}::jsonb) as x(i uuid, k text)
      where s.instance_id = any(${of((d) => d.delScopes)}) and s.instance_id = x.i and s.scope_key = x.k`,
    );
  if (any((d) => d.scopes))
    add(
      'up_scopes',
      sql`insert into wf_scopes (instance_id, scope_key, kind, container, parent_token, data)
      select x.i, x.k, x.kind, x.c, x.p, x.d from jsonb_to_recordset(${rows(
        (d) => d.scopes,
        (s) => ({ k: s.id, kind: s.kind, c: s.container, p: s.parentToken ?? null, d: { def: s.def, mi: s.mi } }),
      )}::jsonb)
        as x(i uuid, k text, kind text, c text, p text, d jsonb)
      on conflict (instance_id, scope_key) do update set parent_token = excluded.parent_token, data = excluded.data`,
    );
  if (any((d) => d.delVars))
    add(
      'del_vars',
      sql`delete from wf_variables v using jsonb_to_recordset(${rows(
        (d) => d.delVars,
        (v) => ({ s: v.scope, n: v.name }),
      )}::jsonb) as x(i uuid, s text, n text)
      where v.instance_id = any(${of((d) => d.delVars)}) and v.instance_id = x.i and v.scope_key = x.s and v.name = x.n`,
    );
  // The value travels wrapped ({ v }) so a JSON null stays the jsonb 'null', not SQL NULL.
  if (any((d) => d.vars))
    add(
      'up_vars',
      sql`insert into wf_variables (instance_id, scope_key, name, value)
      select x.i, x.s, x.n, x.w->'v' from jsonb_to_recordset(${rows(
        (d) => d.vars,
        (v) => ({ s: v.scope, n: v.name, w: { v: v.value } }),
      )}::jsonb) as x(i uuid, s text, n text, w jsonb)
      on conflict (instance_id, scope_key, name) do update set value = excluded.value`,
    );
  if (any((d) => d.delTokens))
    add(
      'del_tokens',
      sql`delete from wf_tokens t using jsonb_to_recordset(${rows(
        (d) => d.delTokens,
        (k) => ({ k }),
      )}::jsonb) as x(i uuid, k text)
      where t.instance_id = any(${of((d) => d.delTokens)}) and t.instance_id = x.i and t.token_key = x.k`,
    );
  if (any((d) => d.tokens))
    add(
      'up_tokens',
      sql`insert into wf_tokens (instance_id, token_key, node, scope_key, data)
      select x.i, x.k, x.n, x.s, x.d from jsonb_to_recordset(${rows(
        (d) => d.tokens,
        ({ id: k, node, scope, ...data }) => ({ k, n: node, s: scope, d: data }),
      )}::jsonb) as x(i uuid, k text, n text, s text, d jsonb)
      on conflict (instance_id, token_key) do update set node = excluded.node, scope_key = excluded.scope_key, data = excluded.data`,
    );
  const newClocks = ds.flatMap((d) => d.newClocks);
  if (newClocks.length) add('ins_clocks', insertClocksSql(newClocks));
  const savedClocks = ds.flatMap((d) => d.savedClocks);
  if (savedClocks.length) add('save_clocks', saveClocksIfVersionSql(savedClocks));
  if (any((d) => d.closeTasks))
    add(
      'close_tasks',
      sql`update wf_tasks t set status = x.st, completed_at = x.now, completed_by = x.by, decision = x.dec, opinion = x.op
      from jsonb_to_recordset(${rows(
        (d) => d.closeTasks,
        (c) => ({ id: c.id, st: c.status, by: c.by, dec: c.decision, op: c.opinion }),
      )}::jsonb) as x(id bigint, now timestamptz, st text, by text, dec text, op text)
      where t.id = any(${idsOf(ds.flatMap((d) => d.closeTasks))}) and t.id = x.id and t.status = 'open'`,
    );
  if (any((d) => d.updateTasks))
    add(
      'upd_tasks',
      sql`update wf_tasks t set assignee = x.a, owner = x.o, delegation = x.del, candidate_roles = ${arr('roles')}, data = t.data || x.d,
        claimed_at = case x.claim when 'set' then x.now when 'clear' then null else t.claimed_at end
      from jsonb_to_recordset(${rows(
        (d) => d.updateTasks,
        (u) => ({
          id: u.id,
          a: u.task.assignee ?? null,
          o: u.task.owner ?? null,
          del: u.task.delegation ?? null,
          roles: u.task.candidateRoles,
          d: JSON.parse(taskData(u.task)) as unknown,
          claim: u.claim,
        }),
      )}::jsonb) as x(id bigint, now timestamptz, a text, o text, del text, roles jsonb, d jsonb, claim text)
      where t.id = any(${idsOf(ds.flatMap((d) => d.updateTasks))}) and t.id = x.id`,
    );
  if (any((d) => d.newTasks)) {
    const clock = newClocks.length
      ? sql`coalesce(x.clock, (select c.id from ins_clocks c where c.subject_id = x.cs))`
      : sql`x.clock`;
    add(
      NEW_TASK_IDS,
      sql`insert into wf_tasks (instance_id, task_key, node, name, assignee, owner, delegation, candidate_roles, org_id, org_path, form_key, status, created_at, claimed_at, due_at, clock_id, data)
      select x.i, x.k, x.n, x.name, x.a, x.o, x.del, ${arr('roles')}, x.org, x.op, x.form, 'open', x.created, x.claimed, x.due, ${clock}, x.d
      from jsonb_to_recordset(${rows(
        (d) => d.newTasks,
        ({ task, orgId, orgPath, dueAt, clockId, newClockSubject, via }) => ({
          k: task.id,
          n: task.node,
          name: task.name ?? null,
          a: task.assignee ?? null,
          o: task.owner ?? null,
          del: task.delegation ?? null,
          roles: task.candidateRoles,
          org: orgId,
          op: orgPath,
          form: task.formKey ?? null,
          created: task.createdAt,
          claimed: task.claimed ? task.createdAt : null,
          due: dueAt?.toISOString() ?? null,
          clock: clockId,
          cs: newClockSubject ?? null,
          d: JSON.parse(taskData(task, via)) as unknown,
        }),
      )}::jsonb)
        as x(i uuid, k text, n text, name text, a text, o text, del text, roles jsonb, org integer, op text, form text, created timestamptz, claimed timestamptz, due timestamptz, clock bigint, cs text, d jsonb)
      returning id, instance_id as i, task_key as k`,
    );
  }
  if (any((d) => d.firedTimers) || any((d) => d.cancelledTimers))
    add(
      'close_timers',
      sql`update wf_timers t set status = x.st, fired_at = case when x.st = 'fired' then x.now end
      from jsonb_to_recordset(${rows(
        (d) => [
          ...d.firedTimers.map((k) => ({ k, st: 'fired' })),
          ...d.cancelledTimers.map((k) => ({ k, st: 'cancelled' })),
        ],
        (t) => t,
      )}::jsonb) as x(i uuid, now timestamptz, k text, st text)
      where t.instance_id = any(${of((d) => [...d.firedTimers, ...d.cancelledTimers])}) and t.instance_id = x.i and t.timer_key = x.k and t.status = 'pending'`,
    );
  if (any((d) => d.timers))
    add(
      'up_timers',
      sql`insert into wf_timers (instance_id, timer_key, node, token_key, due_at, spec, iteration, remaining, status)
      select x.i, x.k, x.n, x.t, x.due, x.spec, x.it, x.rem, 'pending'
      from jsonb_to_recordset(${rows(
        (d) => d.timers,
        (t) => ({
          k: t.id,
          n: t.node,
          t: t.token,
          due: t.due?.toISOString() ?? null,
          spec: t.spec,
          it: t.iteration,
          rem: t.remaining,
        }),
      )}::jsonb) as x(i uuid, k text, n text, t text, due timestamptz, spec jsonb, it integer, rem integer)
      on conflict (instance_id, timer_key) do update set node = excluded.node, token_key = excluded.token_key, due_at = excluded.due_at, spec = excluded.spec,
        iteration = excluded.iteration, remaining = excluded.remaining, status = 'pending', fired_at = null
      returning id, instance_id as i, timer_key as k`,
    );
  if (any((d) => d.delSubscriptions))
    add(
      'del_subs',
      sql`delete from wf_subscriptions s using jsonb_to_recordset(${rows(
        (d) => d.delSubscriptions,
        (k) => ({ k }),
      )}::jsonb) as x(i uuid, k text)
      where s.instance_id = any(${of((d) => d.delSubscriptions)}) and s.instance_id = x.i and s.subscription_key = x.k`,
    );
  if (any((d) => d.subscriptions))
    add(
      'up_subs',
      sql`insert into wf_subscriptions (instance_id, subscription_key, kind, name, node, token_key)
      select x.i, x.k, x.kind, x.name, x.n, x.t from jsonb_to_recordset(${rows(
        (d) => d.subscriptions,
        (s) => ({ k: s.id, kind: s.kind, name: s.name, n: s.node, t: s.token }),
      )}::jsonb)
        as x(i uuid, k text, kind text, name text, n text, t text)
      on conflict (instance_id, subscription_key) do update set kind = excluded.kind, name = excluded.name, node = excluded.node, token_key = excluded.token_key`,
    );
  if (any((d) => d.delCompletions))
    add(
      'del_compl',
      sql`delete from wf_completions c using jsonb_to_recordset(${rows(
        (d) => d.delCompletions,
        (k) => ({ k }),
      )}::jsonb) as x(i uuid, k text)
      where c.instance_id = any(${of((d) => d.delCompletions)}) and c.instance_id = x.i and c.task_key = x.k`,
    );
  if (any((d) => d.completions))
    add(
      'up_compl',
      sql`insert into wf_completions (instance_id, task_key, node, scope_key, completed_by, created_tasks, vars)
      select x.i, x.k, x.n, x.s, x.by, ${arr('ct')}, x.vars from jsonb_to_recordset(${rows(
        (d) => d.completions,
        (c) => ({ k: c.taskId, n: c.node, s: c.scope, by: c.by, ct: c.createdTasks, vars: c.vars ?? null }),
      )}::jsonb) as x(i uuid, k text, n text, s text, by text, ct jsonb, vars jsonb)
      on conflict (instance_id, task_key) do update set created_tasks = excluded.created_tasks, vars = excluded.vars, completed_by = excluded.completed_by`,
    );
  if (any((d) => d.newCirculations))
    add(
      'ins_circs',
      sql`insert into wf_circulations (instance_id, circulation_key, task_key, from_user, to_users, message, at)
      select x.i, x.k, x.t, x.f, ${arr('to')}, x.m, x.at from jsonb_to_recordset(${rows(
        (d) => d.newCirculations,
        (c) => ({ k: c.id, t: c.taskId ?? null, f: c.from, to: c.to, m: c.message ?? null, at: c.at }),
      )}::jsonb) as x(i uuid, k text, t text, f text, "to" jsonb, m text, at timestamptz)
      returning id, instance_id as i, circulation_key as k`,
    );
  if (any((d) => d.reads))
    add(
      'ins_reads',
      sql`insert into wf_circulation_reads (circulation_id, username, read_at)
      select x.c, x.u, x.at from jsonb_to_recordset(${rows(
        (d) => d.reads,
        (r) => ({ c: r.circulationId, u: r.username, at: r.at.toISOString() }),
      )}::jsonb) as x(c bigint, u text, at timestamptz)
      on conflict do nothing`,
    );
  if (any((d) => d.history.entries))
    add(
      'ins_hist',
      sql`insert into wf_history (instance_id, at, type, node, task_key, by_user, decision, opinion, detail, before, after, request_id)
      select x.i, x.at, x.type, x.node, x.tk, x.by, x.dec, x.op, x.detail, x.before, x.after, x.rq
      from jsonb_to_recordset(${rows(
        (d) => d.history.entries.map((e, n) => ({ e, n })),
        ({ e, n }, d) => ({
          at: e.at,
          type: e.type,
          node: e.node ?? null,
          tk: e.taskId ?? null,
          by: e.by ?? null,
          dec: e.decision ?? null,
          op: e.opinion ?? null,
          detail: e.detail ?? null,
          // before/after of the whole command go on its first row; the others are part of the same change
          before: n === 0 ? d.history.before : null,
          after: n === 0 ? d.history.after : null,
          rq: d.history.requestId,
        }),
      )}::jsonb)
        as x(i uuid, at timestamptz, type text, node text, tk text, by text, dec text, op text, detail jsonb, before jsonb, after jsonb, rq text)`,
    );
  const stepped = ds.filter((d) => !d.newInstance);
  if (stepped.length)
    add(
      'upd_inst',
      sql`update wf_instances w set status = x.st, seq = x.seq, error = x.err, ended_at = x.ended, version = w.version + 1
      from jsonb_to_recordset(${rows(
        (d) => (d.newInstance ? [] : one(d)),
        (d) => instanceOf(d),
      )}::jsonb) as x(i uuid, st text, seq integer, err jsonb, ended timestamptz)
      where w.id = any(${of((d) => (d.newInstance ? [] : [d]))}) and w.id = x.i`,
    );
  embedded.forEach((statement, k) => add(`rec_${k}`, statement));

  const ctes = sql.join(
    parts.map((p) => sql`${sql.raw(p.name)} as (${p.body})`),
    sql`, `,
  );
  const has = (name: string) => parts.some((p) => p.name === name);
  const pick = (name: string) =>
    has(name)
      ? sql.raw(`(select coalesce(json_agg(json_build_object('id', id, 'i', i, 'k', k)), '[]') from ${name})`)
      : sql.raw(`'[]'::json`);
  const clockIds = has('ins_clocks')
    ? sql.raw(`(select coalesce(json_agg(json_build_object('id', id, 'k', subject_id)), '[]') from ins_clocks)`)
    : sql.raw(`'[]'::json`);
  const saved = has('save_clocks')
    ? sql.raw(`(select coalesce(json_agg(id::text), '[]') from save_clocks)`)
    : sql.raw(`'[]'::json`);
  const result = await sql<{
    tasks: unknown;
    timers: unknown;
    circs: unknown;
    clocks: unknown;
    saved: unknown;
  }>`${sql.raw(PREPARED)}with ${ctes} select ${pick('ins_tasks')} as tasks, ${pick('up_timers')} as timers, ${pick('ins_circs')} as circs, ${clockIds} as clocks, ${saved} as saved`.execute(
    tx,
  );
  const row = result.rows[0];
  const parse = <T>(value: unknown): T[] =>
    ((typeof value === 'string' ? JSON.parse(value) : value) as T[] | null) ?? [];
  const byInstance = (value: unknown): Map<string, Map<string, string>> => {
    const out = new Map<string, Map<string, string>>();
    for (const r of parse<{ id: string | number; i: string; k: string }>(value)) {
      const m = out.get(r.i) ?? new Map<string, string>();
      m.set(r.k, String(r.id));
      out.set(r.i, m);
    }
    return out;
  };
  return {
    taskIds: byInstance(row?.tasks),
    timerIds: byInstance(row?.timers),
    circulationIds: byInstance(row?.circs),
    clockIds: new Map(parse<{ id: string | number; k: string }>(row?.clocks).map((r) => [r.k, String(r.id)])),
    savedClockIds: new Set(parse<string>(row?.saved)),
  };
}
