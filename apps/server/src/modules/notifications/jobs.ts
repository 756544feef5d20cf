import type { Logger } from 'pino';
import type { Config } from '../../platform/config.ts';
import { inTransaction, type Database } from '../../platform/db.ts';
import type { Jobs } from '../../platform/jobs.ts';
import { applyReceipt, deliverEmail, deliverSms, type DeliveryDeps } from './delivery-service.ts';
import * as repo from './repository.ts';
import { enqueueSend, EMAIL_QUEUE, SMS_QUEUE } from './service.ts';
import { SmppClient } from './smpp-client.ts';
import { SmtpClient } from './smtp-client.ts';

/** What the workers need; AppContext fits. */
export interface NotificationWorkerContext {
  config: Config;
  database: Database;
}

export interface NotificationWorkers {
  deps: DeliveryDeps;
  /** unbinds from the SMSC and closes the mail transport */
  close(): Promise<void>;
}

/**
 * Registers the send handlers (thin: parse the job, call the delivery service) and builds the
 * transports for the configured modes. The SMPP session is bound lazily on the first SMS and then
 * kept bound so delivery receipts arrive; it is closed when the job system stops.
 */
export async function registerNotificationWorkers(
  jobs: Jobs,
  ctx: NotificationWorkerContext,
  logger: Logger,
): Promise<NotificationWorkers> {
  const settings = ctx.config.notifications;
  const db = ctx.database.db;
  const log = logger.child({ module: 'notifications' });
  const sms =
    settings.sms.mode === 'smpp'
      ? new SmppClient({
          settings: settings.sms,
          logger: log,
          onReceipt: (receipt) => applyReceipt({ db, logger: log }, receipt),
        })
      : null;
  const mail = settings.mail.mode === 'smtp' ? new SmtpClient(settings.mail) : null;
  const deps: DeliveryDeps = { db, settings, sms, mail, logger: log };

  await jobs.work(SMS_QUEUE, async (data) => {
    await deliverSms(deps, outboxIdOf(data));
  });
  await jobs.work(EMAIL_QUEUE, async (data) => {
    await deliverEmail(deps, outboxIdOf(data));
  });
  await scheduleStranded({ jobs, config: ctx.config, database: ctx.database }, log);
  // Bind now, not at the first SMS: receipts the SMSC holds for messages sent before a restart come in.
  sms?.connect();

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    mail?.close();
    await sms?.close();
  };
  jobs.boss.once('stopped', () => void close());
  return { deps, close };
}

function outboxIdOf(data: unknown): number {
  const id = (data as { outboxId?: unknown } | null)?.outboxId;
  if (typeof id !== 'number' || !Number.isInteger(id))
    throw new TypeError(`notification job without an outboxId: ${JSON.stringify(data)}`);
  return id;
}

/** Queued rows written while no job system ran (e.g. by the CLI) get their jobs now. */
async function scheduleStranded(ctx: NotificationWorkerContext & { jobs: Jobs }, logger: Logger): Promise<void> {
  const rows = await repo.findUnscheduled(ctx.database.db, 1_000);
  for (const row of rows) {
    await inTransaction(ctx.database.db, async (tx) => {
      const locked = await repo.lockOutboxRow(tx, row.id);
      if (!locked || locked.status !== 'queued' || locked.job_id !== null) return;
      await repo.setJobId(tx, row.id, await enqueueSend(tx, ctx, row.id, row.channel));
    });
  }
  if (rows.length > 0) logger.info({ count: rows.length }, 'scheduled notifications written without a job system');
}
