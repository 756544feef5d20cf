import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { canonicalJson } from '@guotu/domain';
import type { Executor, Tx } from '../../platform/db.ts';

export interface AuditEntry {
  actorId: number | null;
  actorName: string;
  ip?: string | null;
  requestId?: string | null;
  action: string;
  entityType: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

export const GENESIS_HASH = '0'.repeat(64);
/** Only one chainer links at a time (any number of processes may try). */
export const AUDIT_CHAIN_LOCK = 7_404_0001;

/** The hashed content of a record; its chain position is in it, so a deleted or inserted record breaks the chain. */
export function auditHashInput(row: {
  seq: string;
  pos: string;
  at: Date;
  actorId: number | null;
  actorName: string;
  ip: string | null;
  requestId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}): string {
  return canonicalJson(row);
}

export function sm3Hex(prevHash: string, content: string): string {
  return createHash('sm3').update(prevHash).update(content).digest('hex');
}

/**
 * Records one action. Must run inside the transaction of the change it records, so the record
 * exists exactly when the change does. It takes no lock: the chainer links it after commit.
 */
export async function appendAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await appendAudits(tx, [entry]);
}

/** Several records in one statement (a group of workflow commands, each with its record). */
export async function appendAudits(tx: Tx, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await insertAuditsSql(entries).execute(tx);
}

/**
 * The INSERT of audit records as a statement another module may run as a part of its own (the
 * workflow writes a group's records in its difference statement) — the one definition of the row.
 * Unlinked (no chain position, no hash): the chainer links them after commit.
 */
export function insertAuditsSql(entries: readonly AuditEntry[]) {
  // Millisecond precision so the hashed timestamp survives the round trip through timestamptz.
  const at = new Date(Date.now()).toISOString();
  const rows = entries.map((e) => ({
    at,
    a: e.actorId,
    n: e.actorName,
    ip: e.ip ?? null,
    rq: e.requestId ?? null,
    ac: e.action,
    et: e.entityType,
    ei: e.entityId === undefined || e.entityId === null ? null : String(e.entityId),
    b: e.before ?? null,
    af: e.after ?? null,
  }));
  return sql`insert into audit_log (at, actor_id, actor_name, ip, request_id, action, entity_type, entity_id, before, after, prev_hash, hash)
    select x.at, x.a, x.n, x.ip, x.rq, x.ac, x.et, x.ei, x.b, x.af, null, null
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as x(at timestamptz, a integer, n text, ip text, rq text, ac text, et text, ei text, b jsonb, af jsonb)`;
}

export interface AuditRow {
  seq: string;
  pos: string;
  at: Date;
  actor_id: number | null;
  actor_name: string;
  ip: string | null;
  request_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  prev_hash: string;
  hash: string;
}

export function contentOf(row: Omit<AuditRow, 'prev_hash' | 'hash'>): string {
  return auditHashInput({
    seq: String(row.seq),
    pos: String(row.pos),
    at: row.at,
    actorId: row.actor_id,
    actorName: row.actor_name,
    ip: row.ip,
    requestId: row.request_id,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    before: row.before,
    after: row.after,
  });
}

/**
 * Links up to `limit` committed, unlinked records, in seq order, to the chain's end. One
 * transaction under the chain lock; returns how many were linked (0 when another chainer holds
 * the lock or nothing is pending).
 */
export async function chainPending(db: Executor, limit: number): Promise<number> {
  const locked = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${AUDIT_CHAIN_LOCK}) as ok`.execute(db);
  if (!locked.rows[0]?.ok) return 0;
  const tail = await db
    .selectFrom('audit_log')
    .select(['chain_pos', 'hash'])
    .where('chain_pos', 'is not', null)
    .orderBy('chain_pos', 'desc')
    .limit(1)
    .executeTakeFirst();
  let prevHash = tail?.hash ?? GENESIS_HASH;
  let pos = BigInt(tail?.chain_pos ?? 0);
  const pending = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('chain_pos', 'is', null)
    .orderBy('seq')
    .limit(limit)
    .execute();
  if (pending.length === 0) return 0;
  const updates: Array<{ seq: string; pos: string; prev: string; hash: string }> = [];
  for (const row of pending) {
    pos += 1n;
    const content = contentOf({ ...row, seq: String(row.seq), pos: String(pos) });
    const hash = sm3Hex(prevHash, content);
    updates.push({ seq: String(row.seq), pos: String(pos), prev: prevHash, hash });
    prevHash = hash;
  }
  for (let i = 0; i < updates.length; i += 1000) {
    const values = sql.join(
      updates.slice(i, i + 1000).map((u) => sql`(${u.seq}::bigint, ${u.pos}::bigint, ${u.prev}, ${u.hash})`),
    );
    await sql`update audit_log a set chain_pos = v.pos, prev_hash = v.prev, hash = v.hash from (values ${values}) as v(seq, pos, prev, hash) where a.seq = v.seq`.execute(
      db,
    );
  }
  return pending.length;
}

export async function listAudit(db: Executor, options: { entityType?: string; entityId?: string; limit: number }) {
  let query = db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(options.limit);
  if (options.entityType) query = query.where('entity_type', '=', options.entityType);
  if (options.entityId) query = query.where('entity_id', '=', options.entityId);
  return query.execute();
}
