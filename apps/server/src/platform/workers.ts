import type { Logger } from 'pino';
import type { AppContext } from '../http/context.ts';
import { registerNotificationWorkers } from '../modules/notifications/jobs.ts';
import { registerFeedWorkers } from '../modules/feed/jobs.ts';
import type { Jobs } from './jobs.ts';
import { registerWorkflowWorkers } from '../modules/workflow/jobs.ts';
import { workflowDepsOf } from '../modules/cases/wiring.ts';

/** Registers every job handler. Handlers are thin and idempotent: they may run twice. */
export async function registerWorkers(jobs: Jobs, ctx: AppContext, logger: Logger): Promise<void> {
  await registerWorkflowWorkers(jobs, { ...workflowDepsOf(ctx), jobs }, logger);
  await jobs.work('system.noop', async (data, meta) => {
    logger.debug({ job: meta.id, data }, 'noop job done');
  });
  await registerNotificationWorkers(jobs, ctx, logger);
  await registerFeedWorkers(jobs, ctx, logger);
}
