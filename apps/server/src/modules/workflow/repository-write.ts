import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  type CompiledQuery,
  type DatabaseConnection,
  type RawBuilder,
} from 'kysely';
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
import type { DB } from '../../platform/db-types.ts';
import type { Tx } from '../../platform/db.ts';
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

// ---- statements of other modules, run inside the difference's statement -------------------

/**
 * Runs `work` against a recorder instead of the database and gives back the statements it would
 * have run, as parts of one statement — so a record another module writes (the audit record,
 * `appendAudit`) travels in the command's single write statement instead of a round trip of its
 * own, while that module keeps the only definition of its row. Only INSERTs without RETURNING
 * qualify (`work` must not need a result); anything else gives null and the caller runs `work`
 * on the transaction as usual.
 */
export async function recordStatements(work: (tx: Tx) => Promise<void>): Promise<RawBuilder<unknown>[] | null> {
  const recorded: CompiledQuery[] = [];
  const connection: DatabaseConnection = {
    executeQuery: (query) => {
      recorded.push(query);
      return Promise.resolve({ rows: [] });
    },
    // eslint-disable-next-line require-yield -- a recorder streams nothing
    async *streamQuery() {
      throw new Error('recordStatements: streaming is not recorded');
    },
  };
  const recorder = new Kysely<DB>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
      createDriver: () => ({
        init: async () => {},
        acquireConnection: () => Promise.resolve(connection),
        beginTransaction: async () => {},
        commitTransaction: async () => {},
        rollbackTransaction: async () => {},
        releaseConnection: async () => {},
        destroy: async () => {},
      }),
    },
  });
  await work(recorder as unknown as Tx);
  if (recorded.some((q) => !/^insert into /i.test(q.sql.trim()) || /\breturning\b/i.test(q.sql))) return null;
  return recorded.map(embed);
}

/** A compiled statement as a part of another: its `$n` placeholders become parameters of the whole. */
function embed(query: CompiledQuery): RawBuilder<unknown> {
  const pieces = query.sql.split(/\$(\d+)/);
  return sql.join(
    pieces.map((piece, i) => (i % 2 === 0 ? sql.raw(piece) : sql`${query.parameters[Number(piece) - 1]}`)),
    sql.raw(''),
  );
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

// ---- the whole difference of one command in ONE statement -----------------------------------

/**
 * One command's row changes. Applied by `applyDifference` as a single statement of
 * data-modifying CTEs (one round trip; on PGlite, one pass through the gate instead of ten).
 * The parts touch disjoint rows by construction (a key is either removed, changed or added),
 * which is what a single statement's shared snapshot requires.
 */
export interface Difference {
  instanceId: string;
  now: Date;
  /** a start: the instance row is inserted by the same statement (with the state after the step) */
  newInstance?: NewInstanceRow;
  /** statements of other modules to run as part of this one (`recordStatements`: the audit record) */
  embedded: ReadonlyArray<RawBuilder<unknown>>;
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
  taskIds: Map<string, string>;
  timerIds: Map<string, string>;
  circulationIds: Map<string, string>;
  /** ids of the new clocks by subject id */
  clockIds: Map<string, string>;
  /** the clocks of `savedClocks` that were saved (the others had changed since the load) */
  savedClockIds: Set<string>;
}

const arr = (column: string) => sql.raw(`array(select jsonb_array_elements_text(x.${column}))`);

export async function applyDifference(tx: Tx, d: Difference): Promise<AppliedIds> {
  const id = d.instanceId;
  const now = d.now.toISOString();
  const parts: Array<{ name: string; body: ReturnType<typeof sql>; returns?: boolean }> = [];
  const add = (name: string, body: ReturnType<typeof sql>, returns = false) => parts.push({ name, body, returns });
  const i = d.instance;
  const error = i.error ? json(i.error) : null;
  const endedAt = i.endedAt?.toISOString() ?? null;
  const n = d.newInstance;
  // The rows below reference the instance; their foreign keys are checked at the end of the statement.
  // Version 2: a start is the row's first command, as when it was inserted and then stepped.
  if (n)
    add(
      'ins_inst',
      sql`insert into wf_instances (id, definition_key, definition_version, status, business_key, org_id, started_by, started_at, seq, root_scope, error, ended_at, version)
      values (${id}, ${n.key}, ${n.version}, ${i.status}, ${n.businessKey}, ${n.orgId}, ${n.startedBy}, ${n.startedAt.toISOString()}::timestamptz, ${i.seq}, ${n.rootScope}, ${error}::jsonb, ${endedAt}::timestamptz, 2)`,
    );
  if (d.delScopes.length)
    add('del_scopes', sql`delete from wf_scopes where instance_id = ${id} and scope_key = any(${d.delScopes}::text[])`);
  if (d.scopes.length) {
    add(
      'up_scopes',
      sql`insert into wf_scopes (instance_id, scope_key, kind, container, parent_token, data)
      select ${id}, x.k, x.kind, x.c, x.p, x.d from jsonb_to_recordset(${json(d.scopes.map((s) => ({ k: s.id, kind: s.kind, c: s.container, p: s.parentToken ?? null, d: { def: s.def, mi: s.mi } })))}::jsonb)
        as x(k text, kind text, c text, p text, d jsonb)
      on conflict (instance_id, scope_key) do update set parent_token = excluded.parent_token, data = excluded.data`,
    );
  }
  if (d.delVars.length) {
    add(
      'del_vars',
      sql`delete from wf_variables v using jsonb_to_recordset(${json(d.delVars.map((v) => ({ s: v.scope, n: v.name })))}::jsonb) as x(s text, n text)
      where v.instance_id = ${id} and v.scope_key = x.s and v.name = x.n`,
    );
  }
  if (d.vars.length) {
    // The value travels wrapped ({ v }) so a JSON null stays the jsonb 'null', not SQL NULL.
    add(
      'up_vars',
      sql`insert into wf_variables (instance_id, scope_key, name, value)
      select ${id}, x.s, x.n, x.w->'v' from jsonb_to_recordset(${json(d.vars.map((v) => ({ s: v.scope, n: v.name, w: { v: v.value } })))}::jsonb) as x(s text, n text, w jsonb)
      on conflict (instance_id, scope_key, name) do update set value = excluded.value`,
    );
  }
  if (d.delTokens.length)
    add('del_tokens', sql`delete from wf_tokens where instance_id = ${id} and token_key = any(${d.delTokens}::text[])`);
  if (d.tokens.length) {
    add(
      'up_tokens',
      sql`insert into wf_tokens (instance_id, token_key, node, scope_key, data)
      select ${id}, x.k, x.n, x.s, x.d from jsonb_to_recordset(${json(d.tokens.map(({ id: k, node, scope, ...data }) => ({ k, n: node, s: scope, d: data })))}::jsonb) as x(k text, n text, s text, d jsonb)
      on conflict (instance_id, token_key) do update set node = excluded.node, scope_key = excluded.scope_key, data = excluded.data`,
    );
  }
  if (d.newClocks.length) add('ins_clocks', insertClocksSql(d.newClocks));
  if (d.savedClocks.length) add('save_clocks', saveClocksIfVersionSql(d.savedClocks));
  if (d.closeTasks.length) {
    add(
      'close_tasks',
      sql`update wf_tasks t set status = x.st, completed_at = ${now}::timestamptz, completed_by = x.by, decision = x.dec, opinion = x.op
      from jsonb_to_recordset(${json(d.closeTasks.map((c) => ({ id: c.id, st: c.status, by: c.by, dec: c.decision, op: c.opinion })))}::jsonb) as x(id bigint, st text, by text, dec text, op text)
      where t.id = x.id and t.status = 'open'`,
    );
  }
  if (d.updateTasks.length) {
    const rows = d.updateTasks.map((u) => ({
      id: u.id,
      a: u.task.assignee ?? null,
      o: u.task.owner ?? null,
      del: u.task.delegation ?? null,
      roles: u.task.candidateRoles,
      d: JSON.parse(taskData(u.task)) as unknown,
      claim: u.claim,
    }));
    add(
      'upd_tasks',
      sql`update wf_tasks t set assignee = x.a, owner = x.o, delegation = x.del, candidate_roles = ${arr('roles')}, data = t.data || x.d,
        claimed_at = case x.claim when 'set' then ${now}::timestamptz when 'clear' then null else t.claimed_at end
      from jsonb_to_recordset(${json(rows)}::jsonb) as x(id bigint, a text, o text, del text, roles jsonb, d jsonb, claim text)
      where t.id = x.id`,
    );
  }
  if (d.newTasks.length) {
    const rows = d.newTasks.map(({ task, orgId, orgPath, dueAt, clockId, newClockSubject, via }) => ({
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
    }));
    const clock = d.newClocks.length
      ? sql`coalesce(x.clock, (select c.id from ins_clocks c where c.subject_id = x.cs))`
      : sql`x.clock`;
    add(
      'ins_tasks',
      sql`insert into wf_tasks (instance_id, task_key, node, name, assignee, owner, delegation, candidate_roles, org_id, org_path, form_key, status, created_at, claimed_at, due_at, clock_id, data)
      select ${id}, x.k, x.n, x.name, x.a, x.o, x.del, ${arr('roles')}, x.org, x.op, x.form, 'open', x.created, x.claimed, x.due, ${clock}, x.d
      from jsonb_to_recordset(${json(rows)}::jsonb)
        as x(k text, n text, name text, a text, o text, del text, roles jsonb, org integer, op text, form text, created timestamptz, claimed timestamptz, due timestamptz, clock bigint, cs text, d jsonb)
      returning id, task_key as k`,
      true,
    );
  }
  const closedTimers = [
    ...d.firedTimers.map((k) => ({ k, st: 'fired' })),
    ...d.cancelledTimers.map((k) => ({ k, st: 'cancelled' })),
  ];
  if (closedTimers.length) {
    add(
      'close_timers',
      sql`update wf_timers t set status = x.st, fired_at = case when x.st = 'fired' then ${now}::timestamptz end
      from jsonb_to_recordset(${json(closedTimers)}::jsonb) as x(k text, st text)
      where t.instance_id = ${id} and t.timer_key = x.k and t.status = 'pending'`,
    );
  }
  if (d.timers.length) {
    const rows = d.timers.map((t) => ({
      k: t.id,
      n: t.node,
      t: t.token,
      due: t.due?.toISOString() ?? null,
      spec: t.spec,
      it: t.iteration,
      rem: t.remaining,
    }));
    add(
      'up_timers',
      sql`insert into wf_timers (instance_id, timer_key, node, token_key, due_at, spec, iteration, remaining, status)
      select ${id}, x.k, x.n, x.t, x.due, x.spec, x.it, x.rem, 'pending'
      from jsonb_to_recordset(${json(rows)}::jsonb) as x(k text, n text, t text, due timestamptz, spec jsonb, it integer, rem integer)
      on conflict (instance_id, timer_key) do update set node = excluded.node, token_key = excluded.token_key, due_at = excluded.due_at, spec = excluded.spec,
        iteration = excluded.iteration, remaining = excluded.remaining, status = 'pending', fired_at = null
      returning id, timer_key as k`,
      true,
    );
  }
  if (d.delSubscriptions.length)
    add(
      'del_subs',
      sql`delete from wf_subscriptions where instance_id = ${id} and subscription_key = any(${d.delSubscriptions}::text[])`,
    );
  if (d.subscriptions.length) {
    add(
      'up_subs',
      sql`insert into wf_subscriptions (instance_id, subscription_key, kind, name, node, token_key)
      select ${id}, x.k, x.kind, x.name, x.n, x.t from jsonb_to_recordset(${json(d.subscriptions.map((s) => ({ k: s.id, kind: s.kind, name: s.name, n: s.node, t: s.token })))}::jsonb)
        as x(k text, kind text, name text, n text, t text)
      on conflict (instance_id, subscription_key) do update set kind = excluded.kind, name = excluded.name, node = excluded.node, token_key = excluded.token_key`,
    );
  }
  if (d.delCompletions.length)
    add(
      'del_compl',
      sql`delete from wf_completions where instance_id = ${id} and task_key = any(${d.delCompletions}::text[])`,
    );
  if (d.completions.length) {
    const rows = d.completions.map((c) => ({
      k: c.taskId,
      n: c.node,
      s: c.scope,
      by: c.by,
      ct: c.createdTasks,
      vars: c.vars ?? null,
    }));
    add(
      'up_compl',
      sql`insert into wf_completions (instance_id, task_key, node, scope_key, completed_by, created_tasks, vars)
      select ${id}, x.k, x.n, x.s, x.by, ${arr('ct')}, x.vars from jsonb_to_recordset(${json(rows)}::jsonb) as x(k text, n text, s text, by text, ct jsonb, vars jsonb)
      on conflict (instance_id, task_key) do update set created_tasks = excluded.created_tasks, vars = excluded.vars, completed_by = excluded.completed_by`,
    );
  }
  if (d.newCirculations.length) {
    const rows = d.newCirculations.map((c) => ({
      k: c.id,
      t: c.taskId ?? null,
      f: c.from,
      to: c.to,
      m: c.message ?? null,
      at: c.at,
    }));
    add(
      'ins_circs',
      sql`insert into wf_circulations (instance_id, circulation_key, task_key, from_user, to_users, message, at)
      select ${id}, x.k, x.t, x.f, ${arr('to')}, x.m, x.at from jsonb_to_recordset(${json(rows)}::jsonb) as x(k text, t text, f text, "to" jsonb, m text, at timestamptz)
      returning id, circulation_key as k`,
      true,
    );
  }
  if (d.reads.length) {
    add(
      'ins_reads',
      sql`insert into wf_circulation_reads (circulation_id, username, read_at)
      select x.c, x.u, x.at from jsonb_to_recordset(${json(d.reads.map((r) => ({ c: r.circulationId, u: r.username, at: r.at.toISOString() })))}::jsonb) as x(c bigint, u text, at timestamptz)
      on conflict do nothing`,
    );
  }
  if (d.history.entries.length) {
    const rows = d.history.entries.map((e, i) => ({
      at: e.at,
      type: e.type,
      node: e.node ?? null,
      tk: e.taskId ?? null,
      by: e.by ?? null,
      dec: e.decision ?? null,
      op: e.opinion ?? null,
      detail: e.detail ?? null,
      // before/after of the whole command go on its first row; the others are part of the same change
      before: i === 0 ? d.history.before : null,
      after: i === 0 ? d.history.after : null,
    }));
    add(
      'ins_hist',
      sql`insert into wf_history (instance_id, at, type, node, task_key, by_user, decision, opinion, detail, before, after, request_id)
      select ${id}, x.at, x.type, x.node, x.tk, x.by, x.dec, x.op, x.detail, x.before, x.after, ${d.history.requestId}
      from jsonb_to_recordset(${json(rows)}::jsonb) as x(at timestamptz, type text, node text, tk text, by text, dec text, op text, detail jsonb, before jsonb, after jsonb)`,
    );
  }
  if (!n)
    add(
      'upd_inst',
      sql`update wf_instances set status = ${i.status}, seq = ${i.seq}, error = ${error}::jsonb, ended_at = ${endedAt}::timestamptz, version = version + 1 where id = ${id}`,
    );
  d.embedded.forEach((statement, k) => add(`rec_${k}`, statement));

  const ctes = sql.join(
    parts.map((p) => sql`${sql.raw(p.name)} as (${p.body})`),
    sql`, `,
  );
  const pick = (name: string) =>
    parts.some((p) => p.name === name)
      ? sql.raw(`(select coalesce(json_agg(json_build_object('id', id, 'k', k)), '[]') from ${name})`)
      : sql.raw(`'[]'::json`);
  const has = (name: string) => parts.some((p) => p.name === name);
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
  }>`with ${ctes} select ${pick('ins_tasks')} as tasks, ${pick('up_timers')} as timers, ${pick('ins_circs')} as circs, ${clockIds} as clocks, ${saved} as saved`.execute(
    tx,
  );
  const row = result.rows[0];
  const ids = (value: unknown): Map<string, string> => {
    const list = (typeof value === 'string' ? JSON.parse(value) : value) as Array<{
      id: string | number;
      k: string;
    }> | null;
    return new Map((list ?? []).map((r) => [r.k, String(r.id)]));
  };
  const savedIds = (typeof row?.saved === 'string' ? JSON.parse(row.saved) : row?.saved) as string[] | null;
  return {
    taskIds: ids(row?.tasks),
    timerIds: ids(row?.timers),
    circulationIds: ids(row?.circs),
    clockIds: ids(row?.clocks),
    savedClockIds: new Set(savedIds ?? []),
  };
}
