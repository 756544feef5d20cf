import type { Logger } from 'pino';
import type { AppContext } from '../http/context.ts';
import type { Jobs } from './jobs.ts';

/** Registers every job handler. Handlers are thin and idempotent: they may run twice. */
export async function registerWorkers(jobs: Jobs, _ctx: AppContext, logger: Logger): Promise<void> {
  await jobs.work('system.noop', async (data, meta) => {
    logger.debug({ job: meta.id, data }, 'noop job done');
  });
}
