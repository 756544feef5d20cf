import { sql, type Selectable, type SelectQueryBuilder } from 'kysely';
import type {
  DB,
  NotificationOutboxTable,
  NotificationSmsPartsTable,
  NotificationTemplatesTable,
} from '../../platform/db-types.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import type { NotificationChannel } from './templates.ts';

export type TemplateRow = Selectable<NotificationTemplatesTable>;
export type OutboxRow = Selectable<NotificationOutboxTable>;
export type OutboxStatus = OutboxRow['status'];
export type SmsPartRow = Selectable<NotificationSmsPartsTable>;

// ── templates ─────────────────────────────────────────────────────────────────────────────────

export async function listTemplates(db: Executor): Promise<TemplateRow[]> {
  return db.selectFrom('notification_templates').selectAll().orderBy('event').orderBy('channel').execute();
}

export async function findTemplate(
  db: Executor,
  event: string,
  channel: NotificationChannel,
): Promise<TemplateRow | undefined> {
  return db
    .selectFrom('notification_templates')
    .selectAll()
    .where('event', '=', event)
    .where('channel', '=', channel)
    .executeTakeFirst();
}

export async function templatesOf(
  db: Executor,
  event: string,
  channels: readonly NotificationChannel[],
): Promise<TemplateRow[]> {
  if (channels.length === 0) return [];
  return db
    .selectFrom('notification_templates')
    .selectAll()
    .where('event', '=', event)
    .where('channel', 'in', channels)
    .execute();
}

/** Creates or replaces; returns the previous version for the audit record. */
export async function upsertTemplate(
  tx: Tx,
  template: { event: string; channel: NotificationChannel; subject: string | null; body: string; updatedBy: number },
): Promise<TemplateRow | undefined> {
  const before = await tx
    .selectFrom('notification_templates')
    .selectAll()
    .where('event', '=', template.event)
    .where('channel', '=', template.channel)
    .forUpdate()
    .executeTakeFirst();
  await tx
    .insertInto('notification_templates')
    .values({
      event: template.event,
      channel: template.channel,
      subject: template.subject,
      body: template.body,
      updated_by: template.updatedBy,
      updated_at: new Date(),
    })
    .onConflict((oc) =>
      oc.columns(['event', 'channel']).doUpdateSet({
        subject: template.subject,
        body: template.body,
        updated_by: template.updatedBy,
        updated_at: new Date(),
      }),
    )
    .execute();
  return before;
}

export async function deleteTemplate(
  tx: Tx,
  event: string,
  channel: NotificationChannel,
): Promise<TemplateRow | undefined> {
  return tx
    .deleteFrom('notification_templates')
    .where('event', '=', event)
    .where('channel', '=', channel)
    .returningAll()
    .executeTakeFirst();
}

// ── recipients ────────────────────────────────────────────────────────────────────────────────

/**
 * Contact fields of staff users. A read of the users table from this module: notify() runs inside
 * another module's transaction and needs phone/email without an Actor (users' service requires one).
 */
export async function contactsOf(
  db: Executor,
  userIds: readonly number[],
): Promise<Map<number, { phone: string | null; email: string | null; disabled: boolean; orgId: number }>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'phone', 'email', 'disabled', 'org_id'])
    .where('id', 'in', userIds)
    .execute();
  return new Map(rows.map((r) => [r.id, { phone: r.phone, email: r.email, disabled: r.disabled, orgId: r.org_id }]));
}

// ── outbox ────────────────────────────────────────────────────────────────────────────────────

export interface NewOutboxRow {
  idempotencyKey: string;
  event: string;
  channel: NotificationChannel;
  userId: number | null;
  address: string | null;
  subject: string | null;
  body: string;
  status: 'queued' | 'delivered' | 'failed';
  transport: OutboxRow['transport'];
  lastError: string | null;
  smsParts: number | null;
  /** the org unit the message was caused in (outbox scope) */
  orgId: number | null;
}

/** Inserts unless the idempotency key exists; returns the new id, or undefined for a repeat. */
export async function insertOutboxRow(tx: Tx, row: NewOutboxRow, now: Date): Promise<number | undefined> {
  const inserted = await tx
    .insertInto('notification_outbox')
    .values({
      idempotency_key: row.idempotencyKey,
      event: row.event,
      channel: row.channel,
      user_id: row.userId,
      address: row.address,
      subject: row.subject,
      body: row.body,
      status: row.status,
      transport: row.transport,
      last_error: row.lastError,
      sms_parts: row.smsParts,
      org_id: row.orgId,
      created_at: now,
      updated_at: now,
      delivered_at: row.status === 'delivered' ? now : null,
      failed_at: row.status === 'failed' ? now : null,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

export async function setJobId(tx: Tx, id: number, jobId: string | null): Promise<void> {
  await tx.updateTable('notification_outbox').set({ job_id: jobId }).where('id', '=', id).execute();
}

/** The row under a row lock: concurrent handlers for one row run one after the other. */
export async function lockOutboxRow(tx: Tx, id: number): Promise<OutboxRow | undefined> {
  return tx.selectFrom('notification_outbox').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findOutboxRow(db: Executor, id: number): Promise<OutboxRow | undefined> {
  return db.selectFrom('notification_outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Whose messages an admin reads: those caused in a unit under `path` (materialised path, like
 * every scoped read), and — for an admin of a top-level unit only — those with no unit recorded.
 */
export interface OutboxScope {
  path: string;
  unassigned: boolean;
}

/** An outbox row with the name of the unit it was caused in. */
export type OutboxListRow = OutboxRow & { org_name: string | null };

function scoped<Q extends SelectQueryBuilder<DB, 'notification_outbox', object>>(query: Q, scope: OutboxScope): Q {
  return query.where((eb) => {
    const inTree = eb(
      'notification_outbox.org_id',
      'in',
      eb.selectFrom('org_units').select('org_units.id').where('org_units.path', 'like', `${scope.path}%`),
    );
    return scope.unassigned ? eb.or([inTree, eb('notification_outbox.org_id', 'is', null)]) : inTree;
  }) as Q;
}

/** The row in the admin's scope under a row lock (a resend); undefined when missing or out of scope. */
export async function lockOutboxRowInScope(tx: Tx, id: number, scope: OutboxScope): Promise<OutboxRow | undefined> {
  return scoped(tx.selectFrom('notification_outbox').selectAll().where('id', '=', id), scope)
    .forUpdate()
    .executeTakeFirst();
}

/** The row with its unit's name, in the admin's scope. */
export async function findOutboxRowInScope(
  db: Executor,
  id: number,
  scope: OutboxScope,
): Promise<OutboxListRow | undefined> {
  return scoped(
    db
      .selectFrom('notification_outbox')
      .leftJoin('org_units', 'org_units.id', 'notification_outbox.org_id')
      .selectAll('notification_outbox')
      .select('org_units.name as org_name')
      .where('notification_outbox.id', '=', id),
    scope,
  ).executeTakeFirst();
}

export type OutboxChange = Partial<
  Pick<NotificationOutboxTable, 'status' | 'transport' | 'last_error' | 'provider_message_id' | 'job_id'>
> & {
  attempts?: number;
  sending_at?: Date;
  sent_at?: Date;
  delivered_at?: Date;
  failed_at?: Date;
};

export async function updateOutboxRow(tx: Tx, id: number, change: OutboxChange, now: Date): Promise<void> {
  await tx
    .updateTable('notification_outbox')
    .set({ ...change, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function listOutbox(
  db: Executor,
  filter: {
    scope: OutboxScope;
    channel?: NotificationChannel;
    status?: OutboxStatus;
    event?: string;
    limit: number;
    offset: number;
  },
): Promise<{ rows: OutboxListRow[]; total: number }> {
  let query = scoped(db.selectFrom('notification_outbox'), filter.scope);
  if (filter.channel) query = query.where('channel', '=', filter.channel);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.event) query = query.where('event', '=', filter.event);
  const total = await query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  const rows = await query
    .leftJoin('org_units', 'org_units.id', 'notification_outbox.org_id')
    .selectAll('notification_outbox')
    .select('org_units.name as org_name')
    .orderBy('notification_outbox.id', 'desc')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return { rows, total: total.n };
}

/** Rows still waiting for a job: written while no job system was running (the CLI). */
export async function findUnscheduled(db: Executor, limit: number): Promise<Array<Pick<OutboxRow, 'id' | 'channel'>>> {
  return db
    .selectFrom('notification_outbox')
    .select(['id', 'channel'])
    .where('status', '=', 'queued')
    .where('job_id', 'is', null)
    .where('channel', '!=', 'inApp')
    .orderBy('id')
    .limit(limit)
    .execute();
}

// ── in-app inbox ──────────────────────────────────────────────────────────────────────────────

export async function listInbox(
  db: Executor,
  userId: number,
  options: { unreadOnly: boolean; limit: number; offset: number },
): Promise<{ rows: OutboxRow[]; total: number; unread: number }> {
  const mine = db
    .selectFrom('notification_outbox')
    .where('channel', '=', 'inApp')
    .where('user_id', '=', userId)
    .where('status', '=', 'delivered');
  const counts = await mine
    .select([
      sql<number>`count(*)::int`.as('total'),
      sql<number>`(count(*) filter (where read_at is null))::int`.as('unread'),
    ])
    .executeTakeFirstOrThrow();
  let query = mine.selectAll();
  if (options.unreadOnly) query = query.where('read_at', 'is', null);
  const rows = await query.orderBy('id', 'desc').limit(options.limit).offset(options.offset).execute();
  return { rows, total: options.unreadOnly ? counts.unread : counts.total, unread: counts.unread };
}

/** Marks read (once: a second call keeps the first time). Returns false when not the user's. */
export async function markRead(db: Executor, userId: number, id: number, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('notification_outbox')
    .set({ read_at: sql<Date>`coalesce(read_at, ${now})` })
    .where('id', '=', id)
    .where('channel', '=', 'inApp')
    .where('user_id', '=', userId)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function markAllRead(db: Executor, userId: number, now: Date): Promise<number> {
  const rows = await db
    .updateTable('notification_outbox')
    .set({ read_at: now })
    .where('channel', '=', 'inApp')
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length;
}

// ── SMS parts and delivery receipts ───────────────────────────────────────────────────────────

export async function partsOf(db: Executor, outboxId: number): Promise<SmsPartRow[]> {
  return db
    .selectFrom('notification_sms_parts')
    .selectAll()
    .where('outbox_id', '=', outboxId)
    .orderBy('part_no')
    .execute();
}

/**
 * Records a part the SMSC accepted. A receipt that arrived first left a row with this message id
 * and no outbox: claim it.
 */
export async function recordPart(
  tx: Tx,
  part: { outboxId: number; partNo: number; smscMessageId: string },
  now: Date,
): Promise<void> {
  await tx
    .insertInto('notification_sms_parts')
    .values({ smsc_message_id: part.smscMessageId, outbox_id: part.outboxId, part_no: part.partNo, submitted_at: now })
    .onConflict((oc) =>
      oc
        .column('smsc_message_id')
        .doUpdateSet({ outbox_id: part.outboxId, part_no: part.partNo, submitted_at: now })
        .where('notification_sms_parts.outbox_id', 'is', null),
    )
    .execute();
}

/** Forgets the parts of a message being resent from scratch; late receipts for them then match nothing. */
export async function detachParts(tx: Tx, outboxId: number): Promise<void> {
  await tx
    .updateTable('notification_sms_parts')
    .set({ outbox_id: null, part_no: null })
    .where('outbox_id', '=', outboxId)
    .execute();
}

/** Stores a receipt against its message id; returns the outbox row it belongs to, if known yet. */
export async function recordReceipt(
  tx: Tx,
  receipt: { messageId: string; state: string; error: string | null },
  now: Date,
): Promise<number | null> {
  const row = await tx
    .insertInto('notification_sms_parts')
    .values({
      smsc_message_id: receipt.messageId,
      receipt_state: receipt.state,
      receipt_error: receipt.error,
      receipt_at: now,
    })
    .onConflict((oc) =>
      oc
        .column('smsc_message_id')
        .doUpdateSet({ receipt_state: receipt.state, receipt_error: receipt.error, receipt_at: now }),
    )
    .returning('outbox_id')
    .executeTakeFirstOrThrow();
  return row.outbox_id;
}
