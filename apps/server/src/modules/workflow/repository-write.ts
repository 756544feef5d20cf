import { sql } from 'kysely';
import type { Circulation, CompletionRecord, HistoryEntry, InstanceState, Json, Scope, Subscription, Task, TimerEntry, Token } from '@guotu/engine';
import type { Tx } from '../../platform/db.ts';

/** Writes of the workflow module: each takes a batch, so one command costs a few statements. */

const json = (value: unknown): string => JSON.stringify(value ?? null);

export async function insertInstance(
  tx: Tx,
  row: { id: string; key: string; version: number; status: InstanceState['status']; businessKey: string | null; orgId: number; startedBy: number | null; startedAt: Date; seq: number; rootScope: string },
): Promise<void> {
  await tx
    .insertInto('wf_instances')
    .values({
      id: row.id, definition_key: row.key, definition_version: row.version, status: row.status, business_key: row.businessKey, org_id: row.orgId,
      started_by: row.startedBy, started_at: row.startedAt, seq: row.seq, root_scope: row.rootScope, error: null,
    })
    .execute();
}

export async function updateInstance(tx: Tx, id: string, patch: { status: InstanceState['status']; seq: number; error: InstanceState['error'] | null; endedAt: Date | null }): Promise<void> {
  await tx
    .updateTable('wf_instances')
    .set({ status: patch.status, seq: patch.seq, error: patch.error ? json(patch.error) : null, ended_at: patch.endedAt, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .execute();
}

// ---- scopes, variables, tokens -------------------------------------------------------------

export async function upsertScopes(tx: Tx, instanceId: string, scopes: Scope[]): Promise<void> {
  if (scopes.length === 0) return;
  await tx
    .insertInto('wf_scopes')
    .values(scopes.map((s) => ({ instance_id: instanceId, scope_key: s.id, kind: s.kind, container: s.container, parent_token: s.parentToken ?? null, data: json({ def: s.def, mi: s.mi }) })))
    .onConflict((oc) => oc.columns(['instance_id', 'scope_key']).doUpdateSet((eb) => ({ parent_token: eb.ref('excluded.parent_token'), data: eb.ref('excluded.data') })))
    .execute();
}

export async function deleteScopes(tx: Tx, instanceId: string, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await tx.deleteFrom('wf_scopes').where('instance_id', '=', instanceId).where('scope_key', 'in', keys).execute();
}

export async function upsertVariables(tx: Tx, instanceId: string, vars: Array<{ scope: string; name: string; value: Json }>): Promise<void> {
  if (vars.length === 0) return;
  await tx
    .insertInto('wf_variables')
    .values(vars.map((v) => ({ instance_id: instanceId, scope_key: v.scope, name: v.name, value: json(v.value) })))
    .onConflict((oc) => oc.columns(['instance_id', 'scope_key', 'name']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
    .execute();
}

export async function deleteVariables(tx: Tx, instanceId: string, vars: Array<{ scope: string; name: string }>): Promise<void> {
  if (vars.length === 0) return;
  await sql`delete from wf_variables where instance_id = ${instanceId}
    and (scope_key, name) in (select * from unnest(${vars.map((v) => v.scope)}::text[], ${vars.map((v) => v.name)}::text[]))`.execute(tx);
}

export async function upsertTokens(tx: Tx, instanceId: string, tokens: Token[]): Promise<void> {
  if (tokens.length === 0) return;
  await tx
    .insertInto('wf_tokens')
    .values(tokens.map(({ id, node, scope, ...data }) => ({ instance_id: instanceId, token_key: id, node, scope_key: scope, data: json(data) })))
    .onConflict((oc) => oc.columns(['instance_id', 'token_key']).doUpdateSet((eb) => ({ node: eb.ref('excluded.node'), scope_key: eb.ref('excluded.scope_key'), data: eb.ref('excluded.data') })))
    .execute();
}

export async function deleteTokens(tx: Tx, instanceId: string, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await tx.deleteFrom('wf_tokens').where('instance_id', '=', instanceId).where('token_key', 'in', keys).execute();
}

// ---- tasks ----------------------------------------------------------------------------------

export interface NewTaskRow {
  task: Task;
  orgId: number;
  orgPath: string;
  dueAt: Date | null;
  clockId: string | null;
  /** the sequence flow the task's token arrived by (for the diagram's path) */
  via?: string;
}

function taskData(task: Task, via?: string): string {
  return json({ token: task.token, claimed: task.claimed, orgScope: task.orgScope, timeLimit: task.timeLimit, calendar: task.calendar, ...(via ? { via } : {}) });
}

export async function insertTasks(tx: Tx, instanceId: string, rows: NewTaskRow[]): Promise<Map<string, string>> {
  if (rows.length === 0) return new Map();
  const inserted = await tx
    .insertInto('wf_tasks')
    .values(rows.map(({ task, orgId, orgPath, dueAt, clockId, via }) => ({
      instance_id: instanceId, task_key: task.id, node: task.node, name: task.name ?? null, assignee: task.assignee ?? null, owner: task.owner ?? null,
      delegation: task.delegation ?? null, candidate_roles: [...task.candidateRoles], org_id: orgId, org_path: orgPath, form_key: task.formKey ?? null,
      status: 'open' as const, created_at: task.createdAt, claimed_at: task.claimed ? new Date(task.createdAt) : null, due_at: dueAt, clock_id: clockId, data: taskData(task, via),
    })))
    .returning(['id', 'task_key'])
    .execute();
  return new Map(inserted.map((r) => [r.task_key, String(r.id)]));
}

export async function updateOpenTask(tx: Tx, id: string, task: Task, claimedAt: Date | null | undefined): Promise<void> {
  await tx
    .updateTable('wf_tasks')
    .set({
      assignee: task.assignee ?? null, owner: task.owner ?? null, delegation: task.delegation ?? null, candidate_roles: [...task.candidateRoles],
      // merged: keeps what only the insert knew (the arrival flow)
      data: sql`data || ${taskData(task)}::jsonb`,
      ...(claimedAt !== undefined ? { claimed_at: claimedAt } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function closeTask(tx: Tx, id: string, close: { status: 'completed' | 'cancelled'; at: Date; by: string | null; decision: string | null; opinion: string | null }): Promise<void> {
  await tx
    .updateTable('wf_tasks')
    .set({ status: close.status, completed_at: close.at, completed_by: close.by, decision: close.decision, opinion: close.opinion })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .execute();
}

// ---- timers, subscriptions, completions, circulations --------------------------------------

export async function insertTimers(tx: Tx, instanceId: string, timers: Array<TimerEntry & { due: Date | null }>): Promise<Map<string, string>> {
  if (timers.length === 0) return new Map();
  const rows = await tx
    .insertInto('wf_timers')
    .values(timers.map((t) => ({ instance_id: instanceId, timer_key: t.id, node: t.node, token_key: t.token, due_at: t.due, spec: json(t.spec), iteration: t.iteration, remaining: t.remaining, status: 'pending' as const })))
    .returning(['id', 'timer_key'])
    .execute();
  return new Map(rows.map((r) => [r.timer_key, String(r.id)]));
}

export async function closeTimers(tx: Tx, instanceId: string, keys: string[], status: 'fired' | 'cancelled', at: Date): Promise<void> {
  if (keys.length === 0) return;
  await tx.updateTable('wf_timers').set({ status, fired_at: status === 'fired' ? at : null }).where('instance_id', '=', instanceId).where('timer_key', 'in', keys).where('status', '=', 'pending').execute();
}

export async function insertSubscriptions(tx: Tx, instanceId: string, subs: Subscription[]): Promise<void> {
  if (subs.length === 0) return;
  await tx.insertInto('wf_subscriptions').values(subs.map((s) => ({ instance_id: instanceId, subscription_key: s.id, kind: s.kind, name: s.name, node: s.node, token_key: s.token }))).execute();
}

export async function deleteSubscriptions(tx: Tx, instanceId: string, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await tx.deleteFrom('wf_subscriptions').where('instance_id', '=', instanceId).where('subscription_key', 'in', keys).execute();
}

export async function upsertCompletions(tx: Tx, instanceId: string, records: CompletionRecord[]): Promise<void> {
  if (records.length === 0) return;
  await tx
    .insertInto('wf_completions')
    .values(records.map((c) => ({ instance_id: instanceId, task_key: c.taskId, node: c.node, scope_key: c.scope, completed_by: c.by, created_tasks: c.createdTasks, vars: c.vars ? json(c.vars) : null })))
    .onConflict((oc) => oc.columns(['instance_id', 'task_key']).doUpdateSet((eb) => ({ created_tasks: eb.ref('excluded.created_tasks'), vars: eb.ref('excluded.vars'), completed_by: eb.ref('excluded.completed_by') })))
    .execute();
}

export async function deleteCompletions(tx: Tx, instanceId: string, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await tx.deleteFrom('wf_completions').where('instance_id', '=', instanceId).where('task_key', 'in', keys).execute();
}

export async function insertCirculations(tx: Tx, instanceId: string, circulations: Circulation[]): Promise<Map<string, string>> {
  if (circulations.length === 0) return new Map();
  const rows = await tx
    .insertInto('wf_circulations')
    .values(circulations.map((c) => ({ instance_id: instanceId, circulation_key: c.id, task_key: c.taskId ?? null, from_user: c.from, to_users: c.to, message: c.message ?? null, at: new Date(c.at) })))
    .returning(['id', 'circulation_key'])
    .execute();
  return new Map(rows.map((r) => [r.circulation_key, String(r.id)]));
}

export async function insertReads(tx: Tx, reads: Array<{ circulationId: string; username: string; at: Date }>): Promise<void> {
  if (reads.length === 0) return;
  await tx
    .insertInto('wf_circulation_reads')
    .values(reads.map((r) => ({ circulation_id: r.circulationId, username: r.username, read_at: r.at })))
    .onConflict((oc) => oc.columns(['circulation_id', 'username']).doNothing())
    .execute();
}

export async function insertHistory(tx: Tx, instanceId: string, entries: HistoryEntry[], meta: { before: unknown; after: unknown; requestId: string | null }): Promise<void> {
  if (entries.length === 0) return;
  await tx
    .insertInto('wf_history')
    .values(entries.map((e, i) => ({
      instance_id: instanceId, at: new Date(e.at), type: e.type, node: e.node ?? null, task_key: e.taskId ?? null, by_user: e.by ?? null, decision: e.decision ?? null,
      opinion: e.opinion ?? null, detail: e.detail === undefined ? null : json(e.detail),
      // before/after of the whole command go on its first row; the others are part of the same change
      before: i === 0 ? json(meta.before) : null, after: i === 0 ? json(meta.after) : null, request_id: meta.requestId,
    })))
    .execute();
}

export async function setTaskDue(tx: Tx, id: string, dueAt: Date | null): Promise<void> {
  await tx.updateTable('wf_tasks').set({ due_at: dueAt }).where('id', '=', id).execute();
}
