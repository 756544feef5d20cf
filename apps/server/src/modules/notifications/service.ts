import { AppError, type Actor } from '@guotu/domain';
import type { NotificationSettings } from '../../platform/config.ts';
import type { Db, Tx } from '../../platform/db.ts';
import type { Jobs } from '../../platform/jobs.ts';
import * as repo from './repository.ts';
import { countSmsParts } from './sms-parts.ts';
import {
  isNotificationEvent,
  notificationChannels,
  notificationEvents,
  renderTemplate,
  type NotificationChannel,
  type NotificationEvent,
  type TemplateVariables,
} from './templates.ts';

export { notificationEvents, type NotificationChannel, type NotificationEvent } from './templates.ts';

/** A person to tell: a staff user (contact looked up), and/or an explicit phone or email (applicants). */
export interface NotificationRecipient {
  userId?: number;
  phone?: string;
  email?: string;
}

export interface NotifyRequest {
  event: NotificationEvent;
  recipients: readonly NotificationRecipient[];
  channels: readonly NotificationChannel[];
  variables: TemplateVariables;
  /**
   * Names the occurrence, e.g. `case.accepted:${caseId}`: the same key never produces a second
   * message (per recipient and channel), however often the caller's transaction is retried.
   */
  idempotencyKey: string;
  /**
   * The org unit the message was caused in (the case's bureau, the order's office): the admin
   * outbox is scoped by it. Left out, each row takes its user recipient's unit; a row with
   * neither (an applicant reached by phone only) is shown to top-level admins only.
   */
  orgId?: number | null;
}

/** What notify needs from the app: AppContext satisfies it (`notify(tx, request, ctx)`). */
export interface NotifyDeps {
  jobs: Pick<Jobs, 'enqueue'> | null;
  config: { notifications: Pick<NotificationSettings, 'retryLimit' | 'retryDelaySeconds'> };
}

export interface NotifyResult {
  /** outbox ids written by this call */
  created: number[];
  /** recipient × channel pairs that already had a row under this idempotency key */
  repeated: number;
}

export const SMS_QUEUE = 'notify.sms.send';
export const EMAIL_QUEUE = 'notify.email.send';
const PHONE = /^\+?[0-9]{6,15}$/;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/**
 * Tells recipients about an event, inside the caller's transaction (the state change that causes
 * it): renders the event's templates, writes one outbox row per recipient × channel, and enqueues
 * the SMS/email send jobs in the same transaction — nothing is sent unless the caller commits.
 * In-app messages are readable as soon as the transaction commits. A recipient without the
 * address a channel needs gets a `failed` row saying so (visible in the outbox), not an error.
 * Throws VALIDATION_FAILED for a variable a template needs but `variables` lacks.
 */
export async function notify(tx: Tx, request: NotifyRequest, deps: NotifyDeps): Promise<NotifyResult> {
  assertRequest(request);
  const channels = [...new Set(request.channels)];
  const rendered = await renderAll(tx, request, channels);
  const contacts = await repo.contactsOf(
    tx,
    request.recipients.flatMap((r) => (r.userId === undefined ? [] : [r.userId])),
  );
  const now = new Date();
  const result: NotifyResult = { created: [], repeated: 0 };
  for (const recipient of request.recipients) {
    const contact = recipient.userId === undefined ? undefined : contacts.get(recipient.userId);
    if (recipient.userId !== undefined && !contact)
      throw new AppError('VALIDATION_FAILED', `notify: no user ${recipient.userId}`, [
        { path: 'recipients.userId', message: 'no such user' },
      ]);
    for (const channel of channels) {
      const message = rendered.get(channel);
      const row = outboxRowFor({ request, channel, recipient, contact, message });
      const id = await repo.insertOutboxRow(tx, row, now);
      if (id === undefined) {
        result.repeated += 1;
        continue;
      }
      result.created.push(id);
      if (row.status === 'queued' && deps.jobs) {
        const jobId = await enqueueSend(tx, deps, id, channel);
        await repo.setJobId(tx, id, jobId);
      }
    }
  }
  return result;
}

function assertRequest(request: NotifyRequest): void {
  if (!isNotificationEvent(request.event))
    throw new AppError('VALIDATION_FAILED', `notify: unknown event ${String(request.event)}`, [
      { path: 'event', message: `one of ${Object.keys(notificationEvents).join(', ')}` },
    ]);
  if (request.idempotencyKey.trim() === '' || request.idempotencyKey.length > 200)
    throw new AppError('VALIDATION_FAILED', 'notify: idempotencyKey must be 1–200 characters', [
      { path: 'idempotencyKey', message: '1–200 characters' },
    ]);
  if (request.channels.length === 0 || request.channels.some((c) => !notificationChannels.includes(c)))
    throw new AppError('VALIDATION_FAILED', 'notify: channels must be sms, email and/or inApp', [
      { path: 'channels', message: 'sms, email, inApp' },
    ]);
}

interface Rendered {
  subject: string | null;
  body: string;
}

/** Renders every channel before writing anything: a missing variable fails the whole call. */
async function renderAll(
  tx: Tx,
  request: NotifyRequest,
  channels: readonly NotificationChannel[],
): Promise<Map<NotificationChannel, Rendered>> {
  const templates = await repo.templatesOf(tx, request.event, channels);
  const rendered = new Map<NotificationChannel, Rendered>();
  for (const t of templates) {
    const where = `${request.event}/${t.channel}`;
    rendered.set(t.channel, {
      subject: t.subject === null ? null : renderTemplate(t.subject, request.variables, `${where}.subject`),
      body: renderTemplate(t.body, request.variables, `${where}.body`),
    });
  }
  return rendered;
}

function outboxRowFor(input: {
  request: NotifyRequest;
  channel: NotificationChannel;
  recipient: NotificationRecipient;
  contact: { phone: string | null; email: string | null; orgId: number } | undefined;
  message: Rendered | undefined;
}): repo.NewOutboxRow {
  const { request, channel, recipient, contact, message } = input;
  const phone = normalisePhone(recipient.phone ?? contact?.phone ?? null);
  const email = (recipient.email ?? contact?.email ?? null)?.trim() ?? null;
  const who =
    recipient.userId !== undefined
      ? `u:${recipient.userId}`
      : recipient.phone !== undefined
        ? `p:${phone ?? ''}`
        : `e:${email ?? ''}`;
  const address = channel === 'sms' ? phone : channel === 'email' ? email : null;
  let problem: string | null = null;
  if (!message) problem = `no ${channel} template for ${request.event}`;
  else if (channel === 'sms' && !phone) problem = 'recipient has no phone number';
  else if (channel === 'sms' && phone && !PHONE.test(phone)) problem = `invalid phone number "${phone}"`;
  else if (channel === 'email' && !email) problem = 'recipient has no email address';
  else if (channel === 'email' && email && !EMAIL.test(email)) problem = `invalid email address "${email}"`;
  else if (channel === 'inApp' && recipient.userId === undefined) problem = 'in-app messages need a userId';
  const body = message?.body ?? '';
  return {
    idempotencyKey: `${request.idempotencyKey}|${channel}|${who}`,
    event: request.event,
    channel,
    userId: recipient.userId ?? null,
    address,
    subject: message?.subject ?? null,
    body,
    status: problem ? 'failed' : channel === 'inApp' ? 'delivered' : 'queued',
    transport: channel === 'inApp' && !problem ? 'inApp' : null,
    lastError: problem,
    smsParts: channel === 'sms' ? countSmsParts(body) : null,
    orgId: request.orgId ?? contact?.orgId ?? null,
  };
}

function normalisePhone(raw: string | null): string | null {
  if (raw === null) return null;
  const cleaned = raw.replace(/[\s()-]/g, '');
  return cleaned === '' ? null : cleaned;
}

/** Enqueues the send job for an outbox row, with our retry policy (exponential backoff). */
export async function enqueueSend(
  tx: Tx,
  deps: NotifyDeps,
  outboxId: number,
  channel: NotificationChannel,
): Promise<string | null> {
  if (!deps.jobs || channel === 'inApp') return null;
  const { retryLimit, retryDelaySeconds } = deps.config.notifications;
  return deps.jobs.enqueue(
    tx,
    channel === 'sms' ? SMS_QUEUE : EMAIL_QUEUE,
    { outboxId },
    { retryLimit, retryDelay: retryDelaySeconds, retryBackoff: true },
  );
}

// ── my in-app messages ────────────────────────────────────────────────────────────────────────

export interface InboxItem {
  id: number;
  event: string;
  title: string | null;
  body: string;
  createdAt: string;
  readAt: string | null;
}

export async function listMine(
  db: Db,
  actor: Actor,
  query: { unread?: boolean; limit?: number; offset?: number },
): Promise<{ items: InboxItem[]; total: number; unread: number }> {
  const { rows, total, unread } = await repo.listInbox(db, actor.userId, {
    unreadOnly: query.unread ?? false,
    limit: query.limit ?? 20,
    offset: query.offset ?? 0,
  });
  return {
    items: rows.map((r) => ({
      id: r.id,
      event: r.event,
      title: r.subject,
      body: r.body,
      createdAt: r.created_at.toISOString(),
      readAt: r.read_at ? r.read_at.toISOString() : null,
    })),
    total,
    unread,
  };
}

/** Marks one of my messages read; someone else's answers 404 like a missing one. */
export async function markMineRead(db: Db, actor: Actor, id: number): Promise<void> {
  if (!(await repo.markRead(db, actor.userId, id, new Date()))) throw new AppError('NOT_FOUND', `no message ${id}`);
}

export async function markAllMineRead(db: Db, actor: Actor): Promise<{ marked: number }> {
  return { marked: await repo.markAllRead(db, actor.userId, new Date()) };
}
