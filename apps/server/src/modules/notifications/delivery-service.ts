import type { Logger } from 'pino';
import type { NotificationSettings } from '../../platform/config.ts';
import { inTransaction, type Db, type Tx } from '../../platform/db.ts';
import * as repo from './repository.ts';
import type { DeliveryReceipt } from './smpp-client.ts';
import { splitSms, type SmsPart } from './sms-parts.ts';

/** Sends SMS parts to the SMSC (SmppClient); absent in store mode. */
export interface SmsSender {
  submit(destination: string, part: SmsPart): Promise<string>;
}

/** Hands mail to the relay (SmtpClient); absent in store mode. */
export interface MailSender {
  send(mail: { to: string; subject: string; text: string; messageId: string }): Promise<string>;
}

export interface DeliveryDeps {
  db: Db;
  settings: NotificationSettings;
  sms: SmsSender | null;
  mail: MailSender | null;
  logger: Logger;
  now?: () => Date;
}

/** Thrown to make pg-boss retry the job (with backoff); the outbox row already says why. */
export class RetryableSendError extends Error {
  override name = 'RetryableSendError';
}

type Outcome = 'sent' | 'stored' | 'skipped' | 'failed';

// Receipt states that end a message unsuccessfully (SMPP 3.4 Appendix B); ACCEPTD/ENROUTE are interim.
const FAILED_STATES = new Set(['UNDELIV', 'EXPIRED', 'DELETED', 'REJECTD', 'UNKNOWN']);

/**
 * Delivers one SMS outbox row. Idempotent: the row is claimed (queued → sending) under a row lock,
 * so a second run of the same job finds it sending/sent and sends nothing; parts the SMSC already
 * accepted (recorded with their message ids) are not submitted again on a retry.
 */
export async function deliverSms(deps: DeliveryDeps, outboxId: number): Promise<Outcome> {
  const claimed = await claim(deps, outboxId, 'sms');
  if (claimed.kind !== 'claimed') return claimed.kind;
  const row = claimed.row;
  const sms = deps.sms;
  if (!sms || row.address === null) return fail(deps, row, 'no SMS transport configured');
  try {
    const done = new Set((await repo.partsOf(deps.db, row.id)).map((p) => p.part_no));
    const parts = splitSms(row.body, row.id);
    for (const [i, part] of parts.entries()) {
      if (done.has(i + 1)) continue;
      const smscMessageId = await sms.submit(row.address, part);
      await inTransaction(deps.db, (tx) =>
        repo.recordPart(tx, { outboxId: row.id, partNo: i + 1, smscMessageId }, now(deps)),
      );
    }
    await inTransaction(deps.db, async (tx) => {
      const first = (await repo.partsOf(tx, row.id))[0];
      await settle(tx, row.id, { transport: 'smpp', provider_message_id: first?.smsc_message_id ?? null }, now(deps));
    });
    return 'sent';
  } catch (error) {
    return failedAttempt(deps, row, error);
  }
}

/** Delivers one email outbox row; idempotent like deliverSms. Email ends at `sent` (no DSN tracking). */
export async function deliverEmail(deps: DeliveryDeps, outboxId: number): Promise<Outcome> {
  const claimed = await claim(deps, outboxId, 'email');
  if (claimed.kind !== 'claimed') return claimed.kind;
  const row = claimed.row;
  const mail = deps.mail;
  if (!mail || row.address === null) return fail(deps, row, 'no mail transport configured');
  try {
    const domain = /@([^>\s]+)>?$/.exec(deps.settings.mail.from)?.[1] ?? 'guotu.invalid';
    const messageId = await mail.send({
      to: row.address,
      subject: row.subject ?? row.event,
      text: row.body,
      messageId: `<notification-${row.id}@${domain}>`,
    });
    await inTransaction(deps.db, (tx) =>
      repo.updateOutboxRow(
        tx,
        row.id,
        { status: 'sent', transport: 'smtp', provider_message_id: messageId, sent_at: now(deps), last_error: null },
        now(deps),
      ),
    );
    return 'sent';
  } catch (error) {
    return failedAttempt(deps, row, error);
  }
}

type Claim = { kind: 'claimed'; row: repo.OutboxRow } | { kind: 'stored' | 'skipped' };

/**
 * queued → sending (attempts + 1) under the row lock, committed before any network I/O. In store
 * mode the row goes straight to sent with transport `store`: nothing leaves the machine.
 */
async function claim(deps: DeliveryDeps, outboxId: number, channel: 'sms' | 'email'): Promise<Claim> {
  return inTransaction(deps.db, async (tx): Promise<Claim> => {
    const row = await repo.lockOutboxRow(tx, outboxId);
    if (!row || row.channel !== channel) {
      deps.logger.warn({ outboxId, channel }, 'notification job for a missing outbox row: nothing to send');
      return { kind: 'skipped' };
    }
    if (row.status !== 'queued') {
      // sent/delivered/failed: done before. sending: an earlier attempt was interrupted mid-send —
      // it may have reached the SMSC/relay, so we do not send again (an admin can resend).
      if (row.status === 'sending')
        deps.logger.warn({ outboxId }, 'notification found in sending state: not sent again');
      return { kind: 'skipped' };
    }
    const at = now(deps);
    const stored = channel === 'sms' ? deps.settings.sms.mode === 'store' : deps.settings.mail.mode === 'store';
    if (stored) {
      await repo.updateOutboxRow(
        tx,
        row.id,
        { status: 'sent', transport: 'store', attempts: row.attempts + 1, sent_at: at },
        at,
      );
      return { kind: 'stored' };
    }
    await repo.updateOutboxRow(tx, row.id, { status: 'sending', attempts: row.attempts + 1, sending_at: at }, at);
    return { kind: 'claimed', row: { ...row, status: 'sending', attempts: row.attempts + 1 } };
  });
}

/**
 * After a failed attempt: a permanent error (bad number, 5xx) or the last allowed attempt marks
 * the row failed and ends the job; otherwise the row goes back to queued with the error and the
 * job throws, so pg-boss retries it after its backoff.
 */
async function failedAttempt(deps: DeliveryDeps, row: repo.OutboxRow, error: unknown): Promise<Outcome> {
  const message = error instanceof Error ? error.message : String(error);
  const permanent = (error as { permanent?: unknown }).permanent === true;
  const maxAttempts = deps.settings.retryLimit + 1;
  if (permanent) return fail(deps, row, message);
  if (row.attempts >= maxAttempts) return fail(deps, row, `gave up after ${row.attempts} attempts: ${message}`);
  await inTransaction(deps.db, (tx) =>
    repo.updateOutboxRow(tx, row.id, { status: 'queued', last_error: message }, now(deps)),
  );
  deps.logger.warn({ outboxId: row.id, attempt: row.attempts, err: error }, 'notification send failed; will retry');
  throw new RetryableSendError(`attempt ${row.attempts} of message ${row.id} failed: ${message}`);
}

async function fail(deps: DeliveryDeps, row: repo.OutboxRow, message: string): Promise<Outcome> {
  await inTransaction(deps.db, (tx) =>
    repo.updateOutboxRow(tx, row.id, { status: 'failed', last_error: message, failed_at: now(deps) }, now(deps)),
  );
  deps.logger.warn({ outboxId: row.id, error: message }, 'notification failed');
  return 'failed';
}

/** Records a delivery receipt and rolls it up into the message's status. */
export async function applyReceipt(
  deps: Pick<DeliveryDeps, 'db' | 'logger' | 'now'>,
  receipt: DeliveryReceipt,
): Promise<void> {
  await inTransaction(deps.db, async (tx) => {
    const outboxId = await repo.recordReceipt(tx, receipt, now(deps));
    if (outboxId === null) {
      // The sender has not recorded this part yet; recordPart will pick the receipt up.
      deps.logger.debug({ receipt }, 'receipt before its submit was recorded');
      return;
    }
    await settle(tx, outboxId, {}, now(deps));
  });
}

/**
 * Derives an SMS row's status from its parts: any part finally undelivered → failed; every part
 * DELIVRD → delivered; otherwise a row still `sending` becomes `sent` once `change` says so.
 */
async function settle(tx: Tx, outboxId: number, change: repo.OutboxChange, at: Date): Promise<void> {
  const row = await repo.lockOutboxRow(tx, outboxId);
  if (!row) return;
  const finishing = change.transport !== undefined;
  const parts = await repo.partsOf(tx, outboxId);
  const failed = parts.find((p) => p.receipt_state !== null && FAILED_STATES.has(p.receipt_state));
  const delivered = parts.filter((p) => p.receipt_state === 'DELIVRD').length;
  const next: repo.OutboxChange = { ...change };
  if (finishing && row.status === 'sending') Object.assign(next, { status: 'sent', sent_at: at, last_error: null });
  else if (finishing && row.sent_at === null) next.sent_at = at;
  const base = next.status ?? row.status;
  if (base === 'sent' || base === 'sending') {
    if (failed)
      Object.assign(next, {
        status: 'failed',
        failed_at: at,
        last_error: `delivery receipt ${failed.receipt_state ?? ''}${failed.receipt_error ? ` err:${failed.receipt_error}` : ''} (part ${failed.part_no ?? '?'})`,
      });
    else if (delivered >= (row.sms_parts ?? 1)) Object.assign(next, { status: 'delivered', delivered_at: at });
  }
  if (Object.keys(next).length > 0) await repo.updateOutboxRow(tx, outboxId, next, at);
}

function now(deps: Pick<DeliveryDeps, 'now'>): Date {
  return deps.now ? deps.now() : new Date();
}
