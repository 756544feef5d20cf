import type { FastifyInstance } from 'fastify';
import { acceptOverdueSubmissions } from './modules/cases/acceptance-service.ts';
import { caseDepsOf } from './modules/cases/wiring.ts';
import type { Logger } from 'pino';
import { buildApp } from './http/app.ts';
import type { AppContext } from './http/context.ts';
import { chainAudit, createCheckpoint } from './modules/audit/service.ts';
import { classifyClocks } from './modules/supervision/service.ts';
import { notificationSink } from './modules/supervision/sink.ts';
import { CalendarProvider, ensureCalendarData } from './modules/calendar/service.ts';
import { countOrgs } from './modules/orgs/repository.ts';
import type { Config } from './platform/config.ts';
import { openDatabase, type Database } from './platform/db.ts';
import { createJobs, type Jobs } from './platform/jobs.ts';
import { migrate } from './platform/migrate.ts';
import { registerWorkers } from './platform/workers.ts';
import { seedDemo } from './seed/demo.ts';
import { seedDemoCases } from './seed/demo-cases.ts';

export interface Running {
  app: FastifyInstance;
  ctx: AppContext;
  url: string;
  /** Graceful: stop accepting, finish in-flight requests and jobs, close the database. */
  close(): Promise<void>;
}

/** Builds the dependencies for a config: database (migrated), jobs, auth settings. */
export async function createContext(config: Config, logger: Logger, options: { jobs: boolean }): Promise<AppContext> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const migration = await migrate(database.db);
  if (migration.applied.length > 0) logger.info({ applied: migration.applied }, 'migrations applied');
  await ensureCalendarData(database.db);
  let jobs: Jobs | null = null;
  if (options.jobs) {
    jobs = createJobs(database, logger);
    await jobs.start();
  }
  return {
    config,
    database,
    jobs,
    ready: true,
    calendar: new CalendarProvider(database.db),
    auth: {
      db: database.db,
      sessionSecret: config.sessionSecret,
      sessionTtlHours: config.sessionTtlHours,
      lockoutThreshold: config.lockoutThreshold,
      lockoutMinutes: config.lockoutMinutes,
      now: () => new Date(),
    },
  };
}

export async function closeContext(ctx: AppContext): Promise<void> {
  await ctx.jobs?.stop();
  await closeDatabase(ctx.database);
}

async function closeDatabase(database: Database): Promise<void> {
  await database.close();
}

/**
 * Runs `task` every `ms` in a worker process, never two runs at once in this process, skipped
 * while shutting down; a failure is logged and the next tick tries again. Several processes may
 * run the same periodic task: each task below is safe under that (see its comment).
 */
function every(
  ctx: AppContext,
  logger: Logger,
  ms: number,
  what: string,
  task: () => Promise<unknown>,
): NodeJS.Timeout | null {
  if (ms === 0 || !ctx.config.runWorkers) return null;
  let running = false;
  const timer = setInterval(() => {
    if (running || !ctx.ready) return;
    running = true;
    task()
      .catch((error: unknown) => logger.error({ err: error }, `${what} failed; retried at the next interval`))
      .finally(() => (running = false));
  }, ms);
  timer.unref();
  return timer;
}

function schedulePeriodicWork(ctx: AppContext, logger: Logger): NodeJS.Timeout[] {
  const timers = [
    // Links committed audit records into the SM3 chain (one chainer at a time across processes).
    every(ctx, logger, 1000, 'audit chaining', () => chainAudit(ctx.database.db)),
    // Signs the chain's end (several nodes: harmless, nothing new to sign → no checkpoint).
    every(ctx, logger, ctx.config.auditCheckpointMinutes * 60_000, 'audit checkpoint', async () => {
      const cp = await createCheckpoint(ctx.database.db, ctx.config.auditSigningKey);
      if (cp) logger.info({ uptoSeq: cp.uptoSeq }, 'audit checkpoint signed');
    }),
    // Yellow/red cards and escalation (alerts are unique per clock, level and deadline).
    every(ctx, logger, ctx.config.supervisionIntervalSeconds * 1000, 'supervision pass', async () => {
      const calendar = await ctx.calendar.get();
      const r = await classifyClocks(ctx.database.db, calendar, {
        now: new Date(),
        escalationWorkingDays: ctx.config.escalationWorkingDays,
        sink: notificationSink(ctx),
      });
      if (r.raisedCount + r.escalated.length > 0)
        logger.info({ raised: r.raisedCount, escalated: r.escalated.length }, 'supervision pass');
    }),
    // 行政许可法 §32: applications nobody decided on within the acceptance limit are accepted as of
    // receipt (each case locked and re-checked in its own transaction: safe on several nodes).
    every(ctx, logger, ctx.config.supervisionIntervalSeconds * 1000, 'default acceptance', async () => {
      const n = await acceptOverdueSubmissions(caseDepsOf(ctx));
      if (n > 0) logger.info({ accepted: n }, 'accepted by default (行政许可法 §32)');
    }),
  ];
  return timers.filter((t): t is NodeJS.Timeout => t !== null);
}

/**
 * The demo cases of README "Try a case", after the demo organisation, when DEMO_CASES is on (`npm
 * start` turns it on; off for `guotu start`, so the servers of tests and browser journeys do not
 * pay the seed's seconds on every fresh database). Only where their SMS stay in the outbox (the
 * demo numbers may be someone's). A failure leaves the server starting without the rest of them,
 * logged: the demo is not worth refusing to start over.
 */
async function seedCasesForDemo(ctx: AppContext, logger: Logger): Promise<void> {
  if (!ctx.config.demoCases) return;
  if (ctx.config.notifications.sms.mode !== 'store') {
    logger.info('demo cases not seeded: their SMS would leave the outbox (SMS_MODE is not store)');
    return;
  }
  const started = Date.now();
  try {
    const demo = await seedDemoCases(ctx);
    logger.info({ cases: demo.cases.length, ms: Date.now() - started }, 'demo cases seeded (README: Try a case)');
  } catch (error) {
    logger.error({ err: error }, 'demo cases could not be seeded; the server starts without (all of) them');
  }
}

export async function startServer(config: Config, logger: Logger): Promise<Running> {
  const ctx = await createContext(config, logger, { jobs: true });
  if (config.seedDemoOnEmpty && (await countOrgs(ctx.database.db)) === 0) {
    const seeded = await seedDemo(ctx.database.db);
    logger.info(
      { orgs: seeded.orgs, users: seeded.usersCreated },
      'empty database: demo data seeded (password in README)',
    );
    await seedCasesForDemo(ctx, logger);
  }
  if (config.runWorkers && ctx.jobs) await registerWorkers(ctx.jobs, ctx, logger);
  const app = await buildApp(ctx, logger);
  const url = await app.listen({ port: config.port, host: config.host });
  const timers = schedulePeriodicWork(ctx, logger);
  logger.info({ url, database: ctx.database.engine, dataDir: config.dataDir }, 'Guotu is listening');
  let closing: Promise<void> | null = null;
  return {
    app,
    ctx,
    url,
    close() {
      closing ??= (async () => {
        ctx.ready = false;
        for (const timer of timers) clearInterval(timer);
        await app.close();
        await ctx.jobs?.stop();
        await chainAudit(ctx.database.db); // link the last records before the database closes
        await closeContext(ctx);
      })();
      return closing;
    },
  };
}
