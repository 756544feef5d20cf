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
// All audit writers serialise on this lock inside their transaction, so the chain is linear.
const AUDIT_CHAIN_LOCK = 7_404_0001;

/** The hashed content of a row; `seq` is in it so deleting or inserting a row breaks the chain. */
export function auditHashInput(row: {
  seq: string;
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

/** Appends one record to the chain. Must run inside the transaction of the change it records. */
export async function appendAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(tx);
  const last = await tx.selectFrom('audit_log').select(['hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const prevHash = last?.hash ?? GENESIS_HASH;
  const seqRow = await sql<{ seq: string }>`select nextval(pg_get_serial_sequence('audit_log', 'seq'))::text as seq`.execute(tx);
  const seq = seqRow.rows[0]?.seq ?? '0';
  // Millisecond precision so the hashed timestamp survives the round trip through timestamptz.
  const at = new Date(Math.floor(Date.now()));
  const content = {
    seq,
    at,
    actorId: entry.actorId,
    actorName: entry.actorName,
    ip: entry.ip ?? null,
    requestId: entry.requestId ?? null,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    before: entry.before ?? null,
    after: entry.after ?? null,
  };
  const hash = sm3Hex(prevHash, auditHashInput(content));
  await sql`insert into audit_log (seq, at, actor_id, actor_name, ip, request_id, action, entity_type, entity_id, before, after, prev_hash, hash)
    overriding system value
    values (${seq}::bigint, ${at}, ${content.actorId}, ${content.actorName}, ${content.ip}, ${content.requestId}, ${content.action},
      ${content.entityType}, ${content.entityId}, ${jsonOrNull(content.before)}::jsonb, ${jsonOrNull(content.after)}::jsonb, ${prevHash}, ${hash})`.execute(tx);
}

function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export async function listAudit(db: Executor, options: { entityType?: string; entityId?: string; limit: number }) {
  let query = db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(options.limit);
  if (options.entityType) query = query.where('entity_type', '=', options.entityType);
  if (options.entityId) query = query.where('entity_id', '=', options.entityId);
  return query.execute();
}
