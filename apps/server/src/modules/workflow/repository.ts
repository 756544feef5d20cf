import { sql } from 'kysely';
import type {
  Circulation,
  CompletionRecord,
  Definition,
  HistoryEntry,
  InstanceState,
  InstanceStatus,
  Scope,
  Subscription,
  Task,
  TimerEntry,
  TimerSpec,
  Token,
  Json,
} from '@guotu/engine';
import type { Executor, Tx } from '../../platform/db.ts';
import { clockRowFromJson, type ClockRow } from '../clocks/repository.ts';

/**
 * All SQL of the workflow module. The engine's InstanceState is rebuilt from relational rows in
 * ONE statement that also takes the instance row lock (`for update of i`), and written back as a
 * difference: only rows that changed are touched.
 */

export interface InstanceRow {
  id: string;
  key: string;
  definitionVersion: number;
  status: InstanceStatus;
  businessKey: string | null;
  orgId: number;
  orgPath: string;
  startedBy: number | null;
  startedAt: Date;
  endedAt: Date | null;
  version: number;
  seq: number;
  rootScope: string;
  error: InstanceState['error'] | null;
}

/** The db identity of an open task (the engine knows only its per-instance key). */
export interface OpenTaskRef {
  id: string;
  taskKey: string;
  clockId: string | null;
  /** the task's step clock as loaded with the instance (null: none) */
  clock: ClockRow | null;
  dueAt: Date | null;
  orgPath: string;
}

export interface LoadedInstance {
  row: InstanceRow;
  state: InstanceState;
  openTasks: Map<string, OpenTaskRef>;
  /** db ids of circulations by engine key */
  circulationIds: Map<string, string>;
  /** timer rows by engine key */
  timerIds: Map<string, string>;
}

// ---- definitions ---------------------------------------------------------------------------

export interface DefinitionRow {
  key: string;
  version: number;
  name: string | null;
  xml: string;
  compiled: Definition;
  sha256: string;
  deployedBy: number | null;
  deployedByName: string | null;
  deployedAt: Date;
}

export async function lockDefinitionKey(tx: Tx, key: string): Promise<void> {
  // Two deployments of one key at once must not both take version n+1.
  await sql`select pg_advisory_xact_lock(hashtext(${`wf_definition:${key}`}))`.execute(tx);
}

export async function latestDefinitionVersion(
  db: Executor,
  key: string,
): Promise<{ version: number; sha256: string } | undefined> {
  return db
    .selectFrom('wf_definitions')
    .select(['version', 'sha256'])
    .where('key', '=', key)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The newest version of each key (keys not deployed are missing), in one query. */
export async function insertDefinition(tx: Tx, d: Omit<DefinitionRow, 'deployedAt' | 'deployedByName'>): Promise<void> {
  await tx
    .insertInto('wf_definitions')
    .values({
      key: d.key,
      version: d.version,
      name: d.name,
      xml: d.xml,
      compiled: JSON.stringify(d.compiled),
      sha256: d.sha256,
      deployed_by: d.deployedBy,
    })
    .execute();
}

export async function findDefinition(db: Executor, key: string, version: number): Promise<DefinitionRow | undefined> {
  const r = await db
    .selectFrom('wf_definitions as d')
    .leftJoin('users as u', 'u.id', 'd.deployed_by')
    .select([
      'd.key',
      'd.version',
      'd.name',
      'd.xml',
      'd.compiled',
      'd.sha256',
      'd.deployed_by',
      'd.deployed_at',
      'u.username',
    ])
    .where('d.key', '=', key)
    .where('d.version', '=', version)
    .executeTakeFirst();
  return r
    ? {
        key: r.key,
        version: r.version,
        name: r.name,
        xml: r.xml,
        compiled: r.compiled as Definition,
        sha256: r.sha256,
        deployedBy: r.deployed_by,
        deployedByName: r.username,
        deployedAt: r.deployed_at,
      }
    : undefined;
}

export async function listDefinitionVersions(db: Executor): Promise<
  Array<{
    key: string;
    version: number;
    name: string | null;
    sha256: string;
    deployedAt: Date;
    deployedBy: string | null;
  }>
> {
  const rows = await db
    .selectFrom('wf_definitions as d')
    .leftJoin('users as u', 'u.id', 'd.deployed_by')
    .select(['d.key', 'd.version', 'd.name', 'd.sha256', 'd.deployed_at', 'u.username'])
    .orderBy('d.key')
    .orderBy('d.version', 'desc')
    .execute();
  return rows.map((r) => ({
    key: r.key,
    version: r.version,
    name: r.name,
    sha256: r.sha256,
    deployedAt: r.deployed_at,
    deployedBy: r.username,
  }));
}

// ---- org units and users (read-only lookups the workflow needs) ---------------------------

export async function findOrg(
  db: Executor,
  where: { id: number } | { divisionCode: string },
): Promise<{ id: number; path: string; kind: string } | undefined> {
  let q = db.selectFrom('org_units').select(['id', 'path', 'kind']);
  q = 'id' in where ? q.where('id', '=', where.id) : q.where('division_code', '=', where.divisionCode);
  return q.executeTakeFirst();
}

export async function listOrgsByIds(
  db: Executor,
  ids: number[],
): Promise<Array<{ id: number; path: string; kind: string }>> {
  if (ids.length === 0) return [];
  return db.selectFrom('org_units').select(['id', 'path', 'kind']).where('id', 'in', ids).execute();
}

export async function existingUsernames(db: Executor, usernames: readonly string[]): Promise<Set<string>> {
  if (usernames.length === 0) return new Set();
  const rows = await db
    .selectFrom('users')
    .select('username')
    .where('username', 'in', [...usernames])
    .where('disabled', '=', false)
    .execute();
  return new Set(rows.map((r) => r.username));
}

// ---- instance load (one statement, row lock) -----------------------------------------------

interface Agg {
  scopes: Array<{ k: string; kind: Scope['kind']; c: string; p: string | null; d: { def?: string; mi?: Scope['mi'] } }>;
  variables: Array<{ s: string; n: string; v: Json }>;
  tokens: Array<{ k: string; n: string; s: string; d: Omit<Token, 'id' | 'node' | 'scope'> }>;
  tasks: Array<{
    id: string | number;
    k: string;
    n: string;
    name: string | null;
    a: string | null;
    o: string | null;
    del: Task['delegation'] | null;
    roles: string[];
    form: string | null;
    created: string;
    due: string | null;
    clock: string | number | null;
    clk: Parameters<typeof clockRowFromJson>[1] | null;
    op: string;
    d: { token: string; claimed?: boolean; orgScope?: string; timeLimit?: string; calendar?: string };
  }>;
  timers: Array<{
    id: string | number;
    k: string;
    n: string;
    t: string;
    due: string | null;
    spec: TimerSpec;
    it: number;
    rem: number;
  }>;
  subscriptions: Array<{ k: string; kind: Subscription['kind']; name: string; n: string; t: string }>;
  completions: Array<{ k: string; n: string; s: string; by: string; ct: string[]; vars: Json | null }>;
  circulations: Array<{
    id: string | number;
    k: string;
    t: string | null;
    f: string;
    to: string[];
    m: string | null;
    at: string;
    r: Record<string, string> | null;
  }>;
  completed: Array<{ at: string; n: string | null; t: string | null; by: string | null; dec: string | null }> | null;
}

const iso = (value: string | Date): string => new Date(value).toISOString();

interface LoadedJson extends Agg {
  id: string;
  definition_key: string;
  definition_version: number;
  status: InstanceStatus;
  business_key: string | null;
  org_id: number;
  org_path: string;
  started_by: number | null;
  started_at: string;
  ended_at: string | null;
  version: number;
  seq: number;
  root_scope: string;
  error: InstanceState['error'] | null;
}

/**
 * Locks the instance row (`forUpdate`) and reads every runtime row of it, in one call of
 * `wf_load_instance` (migrations/0017_workflow_perf.sql: the lock, then the read with a fresh
 * snapshot, plans kept per session). History: only `task.completed` entries are loaded — the
 * engine reads no other kind (return targets and the recreated task's assignee); the full history
 * stays in wf_history. Open tasks come with their step clock, so stopping it needs no read.
 */
export async function loadInstance(
  db: Executor,
  instanceId: string,
  options: { forUpdate: boolean },
): Promise<LoadedInstance | undefined> {
  const result = await sql<{
    j: LoadedJson | string | null;
  }>`select wf_load_instance(${instanceId}::uuid, ${options.forUpdate}) as j`.execute(db);
  const raw = result.rows[0]?.j;
  return raw ? fromJson(typeof raw === 'string' ? (JSON.parse(raw) as LoadedJson) : raw) : undefined;
}

function fromGroupJson(group: GroupJson, out: Map<string, LoadedInstance>): void {
  const aggs = new Map<string, LoadedJson>();
  for (const r of group.instances)
    aggs.set(r.id, {
      ...r,
      scopes: [],
      variables: [],
      tokens: [],
      tasks: [],
      timers: [],
      subscriptions: [],
      completions: [],
      circulations: [],
      completed: [],
    });
  const spread = <K extends keyof Agg>(key: K) => {
    for (const row of group[key] ?? []) (aggs.get(row.i)?.[key] as Array<unknown> | null | undefined)?.push(row);
  };
  for (const key of aggKeys) spread(key);
  for (const [id, r] of aggs) out.set(id, fromJson(r));
}

/** What a group transaction reads before it steps its commands (`loadGroup`). */
export interface LoadedGroup {
  /** the named tasks by id, read before the locks (the loaded instance state is the truth) */
  tasks: Map<string, TaskRow>;
  /** their instances, locked in id order with `forUpdate` */
  instances: Map<string, LoadedInstance>;
  /** the latest deployed version of each named definition key */
  latest: Map<string, number>;
}

type TaskJson = Omit<TaskSelect, 'created_at' | 'claimed_at' | 'completed_at' | 'due_at'> & {
  created_at: string;
  claimed_at: string | null;
  completed_at: string | null;
  due_at: string | null;
};

/**
 * The tasks, their instances (locked, with every runtime row) and the latest definition versions
 * in one call of `wf_load_group` (migrations/0021_workflow_load_group.sql): a group transaction's
 * whole read in one round trip. Ids that are not task ids are left out.
 */
export async function loadGroup(
  db: Executor,
  taskIds: readonly string[],
  definitionKeys: readonly string[],
  options: { forUpdate: boolean },
): Promise<LoadedGroup> {
  const valid = [...new Set(taskIds.filter((id) => /^\d{1,18}$/.test(id)))];
  const result = await sql<{
    j: string | { tasks: TaskJson[]; one: LoadedJson | null; group: GroupJson | null; latest: Record<string, number> };
  }>`select wf_load_group(${valid}::bigint[], ${[...definitionKeys]}::text[], ${options.forUpdate}) as j`.execute(db);
  const raw = result.rows[0]?.j;
  const j = typeof raw === 'string' ? (JSON.parse(raw) as Exclude<typeof raw, string>) : raw;
  const instances = new Map<string, LoadedInstance>();
  if (j?.one) instances.set(j.one.id, fromJson(j.one));
  if (j?.group) fromGroupJson(j.group, instances);
  const date = (value: string | null) => (value === null ? null : new Date(value));
  return {
    tasks: new Map(
      (j?.tasks ?? []).map((r) => [
        String(r.id),
        presentTask({
          ...r,
          created_at: new Date(r.created_at),
          claimed_at: date(r.claimed_at),
          completed_at: date(r.completed_at),
          due_at: date(r.due_at),
        }),
      ]),
    ),
    instances,
    latest: new Map(Object.entries(j?.latest ?? {}).map(([key, version]) => [key, Number(version)])),
  };
}

const aggKeys = [
  'scopes',
  'variables',
  'tokens',
  'tasks',
  'timers',
  'subscriptions',
  'completions',
  'circulations',
  'completed',
] as const satisfies ReadonlyArray<keyof Agg>;

/** `wf_load_instances`: the instance rows, and each kind of runtime row of all of them tagged `i`. */
type GroupJson = { instances: Array<Omit<LoadedJson, keyof Agg>> } & {
  [K in keyof Agg]: Array<NonNullable<Agg[K]>[number] & { i: string }>;
};

function fromJson(r: LoadedJson): LoadedInstance {
  const row: InstanceRow = {
    id: r.id,
    key: r.definition_key,
    definitionVersion: r.definition_version,
    status: r.status,
    businessKey: r.business_key,
    orgId: r.org_id,
    orgPath: r.org_path,
    startedBy: r.started_by,
    startedAt: new Date(r.started_at),
    endedAt: r.ended_at === null ? null : new Date(r.ended_at),
    version: r.version,
    seq: r.seq,
    rootScope: r.root_scope,
    error: r.error,
  };
  return { row, ...rebuildState(row, r) };
}

function rebuildState(row: InstanceRow, agg: Agg): Omit<LoadedInstance, 'row'> {
  const scopes: Record<string, Scope> = {};
  for (const s of agg.scopes) {
    scopes[s.k] = {
      id: s.k,
      kind: s.kind,
      container: s.c,
      ...(s.p !== null ? { parentToken: s.p } : {}),
      ...(s.d.def !== undefined ? { def: s.d.def } : {}),
      vars: {},
      ...(s.d.mi ? { mi: s.d.mi } : {}),
    };
  }
  for (const v of agg.variables) {
    const scope = scopes[v.s];
    if (scope) scope.vars[v.n] = v.v;
  }
  const tokens: Record<string, Token> = {};
  for (const t of agg.tokens) tokens[t.k] = { id: t.k, node: t.n, scope: t.s, ...t.d };
  const tasks: Record<string, Task> = {};
  const openTasks = new Map<string, OpenTaskRef>();
  for (const t of agg.tasks) {
    tasks[t.k] = {
      id: t.k,
      node: t.n,
      token: t.d.token,
      ...(t.name !== null ? { name: t.name } : {}),
      ...(t.a !== null ? { assignee: t.a } : {}),
      ...(t.o !== null ? { owner: t.o } : {}),
      ...(t.del !== null ? { delegation: t.del } : {}),
      candidateRoles: t.roles,
      ...(t.d.orgScope !== undefined ? { orgScope: t.d.orgScope } : {}),
      ...(t.form !== null ? { formKey: t.form } : {}),
      ...(t.d.timeLimit !== undefined ? { timeLimit: t.d.timeLimit } : {}),
      ...(t.d.calendar !== undefined ? { calendar: t.d.calendar } : {}),
      createdAt: iso(t.created),
      ...(t.d.claimed ? { claimed: true } : {}),
    };
    openTasks.set(t.k, {
      id: String(t.id),
      taskKey: t.k,
      clockId: t.clock === null ? null : String(t.clock),
      clock: t.clock === null || !t.clk ? null : clockRowFromJson(t.clock, t.clk),
      dueAt: t.due === null ? null : new Date(t.due),
      orgPath: t.op,
    });
  }
  const timers: Record<string, TimerEntry> = {};
  const timerIds = new Map<string, string>();
  for (const t of agg.timers) {
    timers[t.k] = {
      id: t.k,
      node: t.n,
      token: t.t,
      spec: t.spec,
      iteration: t.it,
      remaining: t.rem,
      ...(t.due !== null ? { dueAt: iso(t.due) } : {}),
    };
    timerIds.set(t.k, String(t.id));
  }
  const subscriptions: Record<string, Subscription> = {};
  for (const s of agg.subscriptions)
    subscriptions[s.k] = { id: s.k, kind: s.kind, name: s.name, node: s.n, token: s.t };
  const completions: Record<string, CompletionRecord> = {};
  for (const c of agg.completions) {
    completions[c.k] = {
      taskId: c.k,
      node: c.n,
      scope: c.s,
      by: c.by,
      createdTasks: c.ct,
      ...(c.vars !== null ? { vars: c.vars as Record<string, Json> } : {}),
    };
  }
  const circulations: Record<string, Circulation> = {};
  const circulationIds = new Map<string, string>();
  for (const c of agg.circulations) {
    const readBy: Record<string, string> = {};
    for (const [user, at] of Object.entries(c.r ?? {})) readBy[user] = iso(at);
    circulations[c.k] = {
      id: c.k,
      ...(c.t !== null ? { taskId: c.t } : {}),
      from: c.f,
      to: c.to,
      ...(c.m !== null ? { message: c.m } : {}),
      readBy,
      at: iso(c.at),
    };
    circulationIds.set(c.k, String(c.id));
  }
  const history: HistoryEntry[] = (agg.completed ?? []).map((h) => ({
    at: iso(h.at),
    type: 'task.completed',
    ...(h.n !== null ? { node: h.n } : {}),
    ...(h.t !== null ? { taskId: h.t } : {}),
    ...(h.by !== null ? { by: h.by } : {}),
    ...(h.dec !== null ? { decision: h.dec } : {}),
  }));
  const state: InstanceState = {
    instanceId: row.id,
    key: row.key,
    version: row.definitionVersion,
    status: row.status,
    seq: row.seq,
    rootScope: row.rootScope,
    scopes,
    tokens,
    tasks,
    timers,
    subscriptions,
    completions,
    circulations,
    history,
    ...(row.error ? { error: row.error } : {}),
  };
  return { state, openTasks, circulationIds, timerIds };
}

/** The instance a task belongs to (for locking it before the task). */
export async function findTaskInstance(db: Executor, taskId: string): Promise<string | undefined> {
  if (!/^\d{1,18}$/.test(taskId)) return undefined;
  const r = await db.selectFrom('wf_tasks').select('instance_id').where('id', '=', taskId).executeTakeFirst();
  return r?.instance_id;
}

export async function findTimerInstance(
  db: Executor,
  timerId: string,
): Promise<{ instanceId: string; timerKey: string; status: string } | undefined> {
  const r = await db
    .selectFrom('wf_timers')
    .select(['instance_id', 'timer_key', 'status'])
    .where('id', '=', timerId)
    .executeTakeFirst();
  return r ? { instanceId: r.instance_id, timerKey: r.timer_key, status: r.status } : undefined;
}

// ---- read models for the API -----------------------------------------------------------------

export interface TaskRow {
  id: string;
  instanceId: string;
  taskKey: string;
  node: string;
  name: string | null;
  assignee: string | null;
  owner: string | null;
  delegation: 'pending' | 'resolved' | null;
  candidateRoles: string[];
  orgId: number;
  orgPath: string;
  formKey: string | null;
  status: 'open' | 'completed' | 'cancelled';
  createdAt: Date;
  claimedAt: Date | null;
  completedAt: Date | null;
  completedBy: string | null;
  decision: string | null;
  opinion: string | null;
  dueAt: Date | null;
  claimed: boolean;
  businessKey: string | null;
  definitionKey: string;
}

function taskQuery(db: Executor) {
  return db
    .selectFrom('wf_tasks as t')
    .innerJoin('wf_instances as i', 'i.id', 't.instance_id')
    .select([
      't.id',
      't.instance_id',
      't.task_key',
      't.node',
      't.name',
      't.assignee',
      't.owner',
      't.delegation',
      't.candidate_roles',
      't.org_id',
      't.org_path',
      't.form_key',
      't.status',
      't.created_at',
      't.claimed_at',
      't.completed_at',
      't.completed_by',
      't.decision',
      't.opinion',
      't.due_at',
      't.data',
      'i.business_key',
      'i.definition_key',
    ]);
}

type TaskSelect = Awaited<ReturnType<ReturnType<typeof taskQuery>['executeTakeFirstOrThrow']>>;

function presentTask(r: TaskSelect): TaskRow {
  return {
    id: String(r.id),
    instanceId: r.instance_id,
    taskKey: r.task_key,
    node: r.node,
    name: r.name,
    assignee: r.assignee,
    owner: r.owner,
    delegation: r.delegation,
    candidateRoles: r.candidate_roles,
    orgId: r.org_id,
    orgPath: r.org_path,
    formKey: r.form_key,
    status: r.status,
    createdAt: r.created_at,
    claimedAt: r.claimed_at,
    completedAt: r.completed_at,
    completedBy: r.completed_by,
    decision: r.decision,
    opinion: r.opinion,
    dueAt: r.due_at,
    claimed: Boolean((r.data as { claimed?: boolean } | null)?.claimed),
    businessKey: r.business_key,
    definitionKey: r.definition_key,
  };
}

export async function findTask(db: Executor, id: string): Promise<TaskRow | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const r = await taskQuery(db).where('t.id', '=', id).executeTakeFirst();
  return r ? presentTask(r) : undefined;
}

export async function listTasksForView(
  db: Executor,
  view: 'todo' | 'done' | 'org',
  me: { username: string; roles: readonly string[]; orgPath: string; bureauPath: string },
  page: { limit: number; offset: number },
): Promise<TaskRow[]> {
  let q = taskQuery(db);
  if (view === 'todo') {
    q = q
      .where('t.status', '=', 'open')
      .where((eb) =>
        eb.or([
          eb('t.assignee', '=', me.username),
          eb.and([
            eb('t.assignee', 'is', null),
            sql<boolean>`t.candidate_roles && ${[...me.roles]}::text[]`,
            sql<boolean>`${me.orgPath} like t.org_path || '%'`,
            eb('t.org_path', 'like', `${me.bureauPath}%`),
          ]),
        ]),
      )
      .orderBy('t.created_at')
      .orderBy('t.id');
  } else if (view === 'done') {
    q = q
      .where('t.completed_by', '=', me.username)
      .where('t.status', '=', 'completed')
      .orderBy('t.completed_at', 'desc')
      .orderBy('t.id', 'desc');
  } else {
    q = q
      .where('t.status', '=', 'open')
      .where('t.org_path', 'like', `${me.orgPath}%`)
      .orderBy('t.created_at')
      .orderBy('t.id');
  }
  const rows = await q.limit(page.limit).offset(page.offset).execute();
  return rows.map(presentTask);
}

/** Has the user taken part in the instance (started it, holds or held a task, was copied)? */
export async function isParticipant(
  db: Executor,
  instanceId: string,
  me: { userId: number; username: string; roles: readonly string[]; orgPath: string; bureauPath: string },
): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`select (
      exists (select 1 from wf_instances where id = ${instanceId} and started_by = ${me.userId})
      or exists (select 1 from wf_tasks where instance_id = ${instanceId} and (assignee = ${me.username} or owner = ${me.username} or completed_by = ${me.username}
        or (status = 'open' and assignee is null and candidate_roles && ${[...me.roles]}::text[] and ${me.orgPath} like org_path || '%' and org_path like ${me.bureauPath} || '%')))
      or exists (select 1 from wf_circulations where instance_id = ${instanceId} and ${me.username} = any(to_users))
    ) as ok`.execute(db);
  return r.rows[0]?.ok === true;
}

export async function listHistory(db: Executor, instanceId: string) {
  return db.selectFrom('wf_history').selectAll().where('instance_id', '=', instanceId).orderBy('id').execute();
}

export async function nodesOfHistory(db: Executor, instanceId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('wf_history')
    .select('node')
    .distinct()
    .where('instance_id', '=', instanceId)
    .where('type', 'in', ['instance.started', 'task.completed'])
    .execute();
  return rows.map((r) => r.node).filter((n): n is string => n !== null);
}

export async function openTaskSummaries(db: Executor, instanceId: string) {
  return db
    .selectFrom('wf_tasks')
    .select(['id', 'node', 'name', 'assignee', 'candidate_roles', 'due_at'])
    .where('instance_id', '=', instanceId)
    .where('status', '=', 'open')
    .orderBy('id')
    .execute();
}

/** The flows by which the instance's task tokens arrived, per task node. */
export async function taskArrivals(db: Executor, instanceId: string): Promise<Map<string, Set<string>>> {
  const rows = await sql<{
    node: string;
    via: string | null;
  }>`select distinct node, data->>'via' as via from wf_tasks where instance_id = ${instanceId}`.execute(db);
  const out = new Map<string, Set<string>>();
  for (const r of rows.rows) {
    if (r.via === null) continue;
    const set = out.get(r.node) ?? new Set<string>();
    set.add(r.via);
    out.set(r.node, set);
  }
  return out;
}
