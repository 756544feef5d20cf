import { AppError, type Actor } from '@guotu/domain';
import { inTransaction, type Db } from '../../platform/db.ts';
import { appendAudit } from '../audit/repository.ts';
import { requirePermission } from '../orgs/service.ts';
import * as repo from './repository.ts';
import { enqueueSend, type NotifyDeps } from './service.ts';
import {
  isNotificationEvent,
  notificationEvents,
  validateTemplate,
  type NotificationChannel,
  type NotificationEvent,
} from './templates.ts';

// ── admin: templates and outbox (permission user.manage until a dedicated one exists) ─────────

const ADMIN = 'user.manage';

export interface TemplateView {
  event: NotificationEvent;
  channel: NotificationChannel;
  subject: string | null;
  body: string;
  variables: readonly string[];
  updatedAt: string;
  updatedBy: number | null;
}

function presentTemplate(row: repo.TemplateRow): TemplateView | null {
  if (!isNotificationEvent(row.event)) return null;
  return {
    event: row.event,
    channel: row.channel,
    subject: row.subject,
    body: row.body,
    variables: notificationEvents[row.event].variables,
    updatedAt: row.updated_at.toISOString(),
    updatedBy: row.updated_by,
  };
}

export async function listTemplates(
  db: Db,
  actor: Actor,
): Promise<{
  events: Array<{ event: NotificationEvent; description: string; variables: readonly string[] }>;
  templates: TemplateView[];
}> {
  requirePermission(actor, ADMIN);
  const rows = await repo.listTemplates(db);
  const events = (Object.keys(notificationEvents) as NotificationEvent[]).map((event) => ({
    event,
    ...notificationEvents[event],
  }));
  return { events, templates: rows.flatMap((r) => presentTemplate(r) ?? []) };
}

export async function getTemplate(
  db: Db,
  actor: Actor,
  event: string,
  channel: NotificationChannel,
): Promise<TemplateView> {
  requirePermission(actor, ADMIN);
  const row = isNotificationEvent(event) ? await repo.findTemplate(db, event, channel) : undefined;
  const view = row && presentTemplate(row);
  if (!view) throw new AppError('NOT_FOUND', `no ${channel} template for ${event}`);
  return view;
}

/** Creates or replaces the template of an event and channel; only the event's variables allowed. */
export async function putTemplate(
  db: Db,
  actor: Actor,
  input: { event: string; channel: NotificationChannel; subject?: string | null; body: string },
): Promise<TemplateView> {
  requirePermission(actor, ADMIN);
  if (!isNotificationEvent(input.event)) throw new AppError('NOT_FOUND', `no notification event ${input.event}`);
  const event = input.event;
  const subject = input.channel === 'sms' ? null : (input.subject ?? null);
  if (input.channel === 'sms' && input.subject)
    throw new AppError('VALIDATION_FAILED', 'SMS templates have no subject', [
      { path: 'body.subject', message: 'omit for sms' },
    ]);
  if (input.channel !== 'sms' && !subject)
    throw new AppError('VALIDATION_FAILED', `${input.channel} templates need a subject`, [
      { path: 'body.subject', message: 'required for email and inApp' },
    ]);
  validateTemplate(event, { subject, body: input.body });
  await inTransaction(db, async (tx) => {
    const before = await repo.upsertTemplate(tx, {
      event,
      channel: input.channel,
      subject,
      body: input.body,
      updatedBy: actor.userId,
    });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      requestId: actor.requestId,
      action: before ? 'notification.template.updated' : 'notification.template.created',
      entityType: 'notification_template',
      entityId: `${event}/${input.channel}`,
      before: before ?? null,
      after: { subject, body: input.body },
    });
  });
  return getTemplate(db, actor, event, input.channel);
}

/** Removes a template; notify() then records a failed row for that channel instead of sending. */
export async function deleteTemplate(db: Db, actor: Actor, event: string, channel: NotificationChannel): Promise<void> {
  requirePermission(actor, ADMIN);
  await inTransaction(db, async (tx) => {
    const before = await repo.deleteTemplate(tx, event, channel);
    if (!before) throw new AppError('NOT_FOUND', `no ${channel} template for ${event}`);
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      requestId: actor.requestId,
      action: 'notification.template.deleted',
      entityType: 'notification_template',
      entityId: `${event}/${channel}`,
      before,
    });
  });
}

export interface OutboxView {
  id: number;
  event: string;
  channel: NotificationChannel;
  userId: number | null;
  address: string | null;
  subject: string | null;
  body: string;
  status: repo.OutboxStatus;
  transport: repo.OutboxRow['transport'];
  attempts: number;
  lastError: string | null;
  providerMessageId: string | null;
  smsParts: number | null;
  createdAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
  readAt: string | null;
  /** the org unit the message was caused in; null: none recorded (top-level admins only) */
  orgId: number | null;
  orgName: string | null;
}

export function presentOutbox(row: repo.OutboxListRow): OutboxView {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: row.id,
    event: row.event,
    channel: row.channel,
    userId: row.user_id,
    address: row.address,
    subject: row.subject,
    body: row.body,
    status: row.status,
    transport: row.transport,
    attempts: row.attempts,
    lastError: row.last_error,
    providerMessageId: row.provider_message_id,
    smsParts: row.sms_parts,
    createdAt: row.created_at.toISOString(),
    sentAt: iso(row.sent_at),
    deliveredAt: iso(row.delivered_at),
    failedAt: iso(row.failed_at),
    readAt: iso(row.read_at),
    orgId: row.org_id,
    orgName: row.org_name,
  };
}

/**
 * The admin's outbox scope, like the other admin reads (users, org units): the messages caused in
 * the admin's unit and below it by materialised path — a city admin sees the city and its
 * counties, the province admin everything. Messages with no unit recorded (an applicant's login
 * code) only to an admin of a top-level unit.
 */
export function outboxScopeOf(actor: Actor): repo.OutboxScope {
  const depth = actor.orgPath.split('/').filter(Boolean).length;
  return { path: actor.orgPath, unassigned: depth <= 1 };
}

export async function listOutbox(
  db: Db,
  actor: Actor,
  query: { channel?: NotificationChannel; status?: repo.OutboxStatus; event?: string; limit?: number; offset?: number },
): Promise<{ items: OutboxView[]; total: number }> {
  requirePermission(actor, ADMIN);
  const { rows, total } = await repo.listOutbox(db, {
    ...query,
    scope: outboxScopeOf(actor),
    limit: query.limit ?? 50,
    offset: query.offset ?? 0,
  });
  return { items: rows.map(presentOutbox), total };
}

// A row left in `sending` longer than this was interrupted mid-send (crash): an admin may resend it.
const STALE_SENDING_MS = 15 * 60_000;

/**
 * Sends a failed (or interrupted) SMS/email again, with a fresh retry budget. A message outside
 * the admin's scope answers 404 like a missing one (no probing of other units' messages).
 */
export async function retryOutbox(db: Db, actor: Actor, id: number, deps: NotifyDeps): Promise<OutboxView> {
  requirePermission(actor, ADMIN);
  const scope = outboxScopeOf(actor);
  await inTransaction(db, async (tx) => {
    const row = await repo.lockOutboxRowInScope(tx, id, scope);
    if (!row) throw new AppError('NOT_FOUND', `no outbox message ${id}`);
    const stale =
      row.status === 'sending' && row.sending_at !== null && Date.now() - row.sending_at.getTime() > STALE_SENDING_MS;
    if (row.channel === 'inApp' || !(row.status === 'failed' || stale) || row.address === null) {
      throw new AppError(
        'INVALID_STATE',
        `message ${id} is ${row.status}; only a failed SMS or email with an address can be resent`,
      );
    }
    // a resend is the whole message again: parts from the earlier send no longer count
    if (row.channel === 'sms') await repo.detachParts(tx, id);
    await repo.updateOutboxRow(tx, id, { status: 'queued', attempts: 0, job_id: null }, new Date());
    const jobId = await enqueueSend(tx, deps, id, row.channel);
    await repo.setJobId(tx, id, jobId);
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      requestId: actor.requestId,
      action: 'notification.resent',
      entityType: 'notification_outbox',
      entityId: id,
      before: { status: row.status, lastError: row.last_error },
    });
  });
  const row = await repo.findOutboxRowInScope(db, id, scope);
  if (!row) throw new AppError('NOT_FOUND', `no outbox message ${id}`);
  return presentOutbox(row);
}
