import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { transactionExecutor, type Database, type Tx } from './db.ts';

/** Job names are imperative (`notify.sms.send`). Each must be registered here before use. */
export const jobQueues = [
  'audit.checkpoint',
  'system.noop',
  'workflow.timer.fire',
  'workflow.service.invoke',
  'workflow.notify',
  'notify.sms.send',
  'notify.email.send',
  'feed.push',
] as const;
export type JobQueue = (typeof jobQueues)[number];

export interface JobHandler {
  (data: unknown, meta: { id: string; queue: JobQueue }): Promise<void>;
}

export interface Jobs {
  /** Enqueues inside the caller's transaction: the job exists iff the transaction commits. */
  enqueue(
    tx: Tx,
    queue: JobQueue,
    data: object,
    options?: {
      singletonKey?: string;
      startAfter?: Date;
      retryLimit?: number;
      retryDelay?: number;
      retryBackoff?: boolean;
    },
  ): Promise<string | null>;
  /**
   * Enqueues outside any transaction, on the job system's own connection: for work that must
   * follow a commit already made (a nudge whose loss a periodic sweep repairs). Sends nothing
   * (null) while the job system is not running — before `start`, after `stop`.
   */
  send(queue: JobQueue, data: object, options?: { singletonKey?: string }): Promise<string | null>;
  work(queue: JobQueue, handler: JobHandler): Promise<void>;
  start(): Promise<void>;
  /** Stops fetching, waits for running handlers (up to `timeoutMs`), then closes. */
  stop(timeoutMs?: number): Promise<void>;
  boss: PgBoss;
}

export function createJobs(database: Database, logger: Logger): Jobs {
  const boss = database.bossExecutor
    ? new PgBoss({ db: database.bossExecutor, schema: 'pgboss', supervise: true, schedule: false, migrate: true })
    : new PgBoss({ connectionString: database.connectionString ?? '', schema: 'pgboss', max: 4, schedule: false });
  boss.on('error', (error: Error) => logger.error({ err: error }, 'job system error'));
  let started = false;

  return {
    boss,
    async start() {
      if (started) return;
      await boss.start();
      for (const queue of jobQueues) await boss.createQueue(queue);
      started = true;
    },
    async enqueue(tx, queue, data, options = {}) {
      return boss.send(queue, data, { db: transactionExecutor(tx), retryLimit: 5, retryBackoff: true, ...options });
    },
    async send(queue, data, options = {}) {
      if (!started) return null;
      return boss.send(queue, data, { retryLimit: 5, retryBackoff: true, ...options });
    },
    async work(queue, handler) {
      await boss.work(queue, { batchSize: 1, pollingIntervalSeconds: 1 }, async (jobs) => {
        for (const job of jobs) await handler(job.data, { id: job.id, queue });
      });
    },
    async stop(timeoutMs = 10_000) {
      if (!started) return;
      started = false;
      await boss.stop({ graceful: true, timeout: timeoutMs, wait: true, close: database.bossExecutor === null });
    },
  };
}
