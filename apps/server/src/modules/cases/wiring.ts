import type { AppContext } from '../../http/context.ts';
import type { WorkflowDeps } from '../workflow/service.ts';
import type { CaseDeps } from './context.ts';
import { caseWorkflowListener } from './review-listener.ts';

/**
 * Builds the case module's dependencies and the workflow's, once per app context: the workflow
 * runs with the case listener (the case follows its process), and the case module starts and
 * drives processes with those same workflow deps.
 */

const built = new WeakMap<AppContext, { cases: CaseDeps; workflow: WorkflowDeps }>();

function build(ctx: AppContext): { cases: CaseDeps; workflow: WorkflowDeps } {
  let b = built.get(ctx);
  if (b) return b;
  const workflow: WorkflowDeps = {
    db: ctx.database.db,
    calendar: ctx.calendar,
    jobs: ctx.jobs,
    notify: { jobs: ctx.jobs, config: ctx.config },
    listeners: [caseWorkflowListener(() => cases)],
  };
  const cases: CaseDeps = {
    db: ctx.database.db,
    calendar: ctx.calendar,
    jobs: ctx.jobs,
    config: {
      sessionSecret: ctx.config.sessionSecret,
      dataDir: ctx.config.dataDir,
      blobMaxBytes: ctx.config.blobMaxBytes,
      notifications: ctx.config.notifications,
      publicBaseUrl: ctx.config.publicBaseUrl,
    },
    workflow,
    now: () => new Date(),
  };
  b = { cases, workflow };
  built.set(ctx, b);
  return b;
}

export function caseDepsOf(ctx: AppContext): CaseDeps {
  return build(ctx).cases;
}

/** The workflow's dependencies as every caller (routes, job workers, cases) must use them. */
export function workflowDepsOf(ctx: AppContext): WorkflowDeps {
  return build(ctx).workflow;
}
