import type { Logger } from 'pino';
import type { Config } from '../../platform/config.ts';
import { inTransaction, type Database } from '../../platform/db.ts';
import type { Jobs } from '../../platform/jobs.ts';
import { pushFeed } from './push.ts';
import { FEED_QUEUE } from './service.ts';

export interface FeedWorkers {
  close(): void;
}

/**
 * The push worker (thin) and a sweep that asks for a push every `sweepSeconds`: it catches events
 * recorded without a job (clock hooks) and resumes delivery after pg-boss gave up retrying, so a
 * receiver that was down for hours still gets everything once it is back.
 */
export async function registerFeedWorkers(
  jobs: Jobs,
  ctx: { config: Config; database: Database },
  logger: Logger,
  options: { sweepSeconds?: number } = {},
): Promise<FeedWorkers> {
  const feed = ctx.config.feed;
  const webhookUrl = feed.webhookUrl;
  if (!webhookUrl) return { close: () => {} };
  const log = logger.child({ module: 'feed' });
  const settings = { webhookUrl, hmacSecret: feed.hmacSecret, signingKey: ctx.config.auditSigningKey };
  await jobs.work(FEED_QUEUE, async () => {
    const n = await pushFeed(ctx.database.db, settings);
    if (n > 0) log.debug({ delivered: n }, 'feed events pushed');
  });
  const sweep = async () => {
    try {
      await inTransaction(ctx.database.db, (tx) =>
        jobs.enqueue(
          tx,
          FEED_QUEUE,
          {},
          { singletonKey: FEED_QUEUE, retryLimit: 8, retryDelay: feed.retryDelaySeconds, retryBackoff: true },
        ),
      );
    } catch (error) {
      log.warn({ err: error }, 'feed sweep could not enqueue a push');
    }
  };
  const timer = setInterval(() => void sweep(), (options.sweepSeconds ?? 30) * 1000);
  timer.unref();
  return { close: () => clearInterval(timer) };
}
