import type { Logger } from 'pino';
import type { Json } from '@guotu/engine';
import type { Jobs } from '../../platform/jobs.ts';
import { completeServiceJob, fireTimer, type WorkflowDeps } from './service.ts';
import { findServiceHandler } from './service-handlers.ts';

/** Job handlers of the workflow: thin and idempotent (a job may run twice after a crash). */

interface ServiceJob {
  instanceId: string;
  jobId: string;
  handler: string;
  node: string;
  attempt: number;
  variables: Record<string, Json>;
}

export async function handleServiceInvoke(deps: WorkflowDeps, job: ServiceJob): Promise<'applied' | 'skipped'> {
  const handler = findServiceHandler(job.handler);
  // Deploy refuses unknown handler names; one removed since deployment fails the attempt (the engine retries or fails the instance).
  const outcome = handler
    ? await handler({ node: job.node, attempt: job.attempt, variables: job.variables }).catch((error: unknown) => ({
        ok: false as const,
        message: error instanceof Error ? error.message : String(error),
      }))
    : { ok: false as const, message: `no service handler ${job.handler} is registered` };
  return completeServiceJob(deps, { instanceId: job.instanceId, jobId: job.jobId, outcome });
}

export async function registerWorkflowWorkers(jobs: Jobs, deps: WorkflowDeps, logger: Logger): Promise<void> {
  await jobs.work('workflow.timer.fire', async (data, meta) => {
    const { timerId, iteration } = data as { timerId: string; iteration?: number };
    const result = await fireTimer(deps, String(timerId), iteration);
    logger.info({ job: meta.id, timerId, result }, 'workflow timer job');
  });
  await jobs.work('workflow.service.invoke', async (data, meta) => {
    const result = await handleServiceInvoke(deps, data as ServiceJob);
    logger.info({ job: meta.id, result }, 'workflow service job');
  });
  await jobs.work('workflow.notify', async (data, meta) => {
    // No SMS/mail channel exists yet: the notification is logged (urge 催办, cc 传阅).
    logger.info({ job: meta.id, notify: data }, 'workflow notification');
  });
}
