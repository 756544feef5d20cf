import { sql, type RawBuilder } from 'kysely';
import type { Executor, Tx } from '../../platform/db.ts';

// Serialises the sequencer: cursors are handed out in one place, in commit order.
const FEED_SEQUENCER_LOCK = 7_404_0009;

export interface FeedRow {
  cursor: string;
  event_id: string;
  type: string;
  occurred_at: Date;
  payload: Record<string, unknown>;
}

export interface NewFeedEvent {
  eventId: string;
  type: string;
  occurredAt: Date;
  payload: object;
}

export async function insertEvents(tx: Tx, events: readonly NewFeedEvent[]): Promise<void> {
  if (events.length > 0) await insertEventsSql(events, null).execute(tx);
}

/**
 * The insert as a statement, to run alone or to embed in another module's statement (a
 * data-modifying CTE):
 * the workflow writes a group's events with its row differences in one round trip. An event whose
 * step task is created by that same statement names it by `newTask` (instance id and engine task
 * key); its id is read from `newTaskIds`, a relation of the embedding statement with columns
 * `id`, `i` (instance id) and `k` (task key).
 */
export function insertEventsSql(
  events: ReadonlyArray<NewFeedEvent & { newTask?: { instanceId: string; key: string } }>,
  newTaskIds: string | null,
): RawBuilder<unknown> {
  const rows = JSON.stringify(
    events.map((e) => ({
      event_id: e.eventId,
      type: e.type,
      occurred_at: e.occurredAt.toISOString(),
      payload: e.payload,
      ...(e.newTask ? { ti: e.newTask.instanceId, tk: e.newTask.key } : {}),
    })),
  );
  const payload =
    newTaskIds === null
      ? sql`x.payload`
      : sql`case when x.tk is null then x.payload else jsonb_set(x.payload, '{step,taskId}',
          coalesce((select to_jsonb(n.id::text) from ${sql.table(newTaskIds)} n where n.i = x.ti and n.k = x.tk), 'null'::jsonb)) end`;
  return sql`insert into feed_events (event_id, type, occurred_at, payload)
    select x.event_id, x.type, x.occurred_at, ${payload} from jsonb_to_recordset(${rows}::jsonb)
    as x(event_id uuid, type text, occurred_at timestamptz, payload jsonb, ti uuid, tk text)`;
}

/** Gives every committed event without a cursor the next cursors, in id order. Returns how many. */
export async function sequencePending(tx: Tx): Promise<number> {
  await sql`select pg_advisory_xact_lock(${FEED_SEQUENCER_LOCK})`.execute(tx);
  const r =
    await sql`with p as (select id, row_number() over (order by id) as rn from feed_events where cursor is null order by id limit 10000),
      m as (select coalesce(max(cursor), 0) as top from feed_events)
    update feed_events f set cursor = m.top + p.rn from p, m where f.id = p.id`.execute(tx);
  return Number(r.numAffectedRows ?? 0);
}

export async function listAfter(db: Executor, after: string, limit: number): Promise<FeedRow[]> {
  // order by the table's bigint column: a bare `cursor` would name the text output column and sort 10 before 2
  const r =
    await sql<FeedRow>`select f.cursor::text as cursor, f.event_id::text as event_id, f.type, f.occurred_at, f.payload
    from feed_events f where f.cursor > ${after}::bigint order by f.cursor limit ${limit}`.execute(db);
  return r.rows;
}

export async function pushState(db: Executor, endpoint: string): Promise<{ delivered_upto: string; attempts: number }> {
  await sql`insert into feed_push_state (endpoint) values (${endpoint}) on conflict (endpoint) do nothing`.execute(db);
  const r = await sql<{
    delivered_upto: string;
    attempts: number;
  }>`select delivered_upto::text, attempts from feed_push_state where endpoint = ${endpoint}`.execute(db);
  return r.rows[0] ?? { delivered_upto: '0', attempts: 0 };
}

export async function markDelivered(db: Executor, endpoint: string, cursor: string): Promise<void> {
  await sql`update feed_push_state set delivered_upto = greatest(delivered_upto, ${cursor}::bigint), attempts = 0, last_error = null, last_success_at = now(), last_attempt_at = now()
    where endpoint = ${endpoint}`.execute(db);
}

export async function markFailed(db: Executor, endpoint: string, error: string): Promise<void> {
  await sql`update feed_push_state set attempts = attempts + 1, last_error = ${error.slice(0, 1000)}, last_attempt_at = now() where endpoint = ${endpoint}`.execute(
    db,
  );
}

export async function listPushState(db: Executor) {
  const r = await sql<{
    endpoint: string;
    delivered_upto: string;
    attempts: number;
    last_error: string | null;
    last_attempt_at: Date | null;
    last_success_at: Date | null;
  }>`
    select endpoint, delivered_upto::text, attempts, last_error, last_attempt_at, last_success_at from feed_push_state order by endpoint`.execute(
    db,
  );
  return r.rows;
}
