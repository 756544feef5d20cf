import type { FastifyInstance } from 'fastify';
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

/** Signs the audit chain's end every AUDIT_CHECKPOINT_MINUTES (several nodes: harmless, one wins per new end). */
function scheduleCheckpoints(ctx: AppContext, logger: Logger): NodeJS.Timeout | null {
  const minutes = ctx.config.auditCheckpointMinutes;
  if (minutes === 0 || !ctx.config.runWorkers) return null;
  const timer = setInterval(() => {
    createCheckpoint(ctx.database.db, ctx.config.auditSigningKey).then(
      (cp) => cp && logger.info({ uptoSeq: cp.uptoSeq }, 'audit checkpoint signed'),
      (error: unknown) => logger.error({ err: error }, 'audit checkpoint failed; will retry next interval'),
    );
  }, minutes * 60_000);
  timer.unref();
  return timer;
}

/** Links committed audit records into the SM3 chain every second (one chainer at a time across processes). */
function scheduleChainer(ctx: AppContext, logger: Logger): NodeJS.Timeout | null {
  if (!ctx.config.runWorkers) return null;
  let running = false;
  const timer = setInterval(() => {
    if (running || !ctx.ready) return;
    running = true;
    chainAudit(ctx.database.db)
      .catch((error: unknown) => logger.error({ err: error }, 'audit chaining failed; retried in a second'))
      .finally(() => (running = false));
  }, 1000);
  timer.unref();
  return timer;
}

/**
 * The supervision pass (yellow/red cards, escalation) every SUPERVISION_INTERVAL_SECONDS. Any
 * number of processes may run it: alerts are unique per clock, level and deadline.
 */
function scheduleSupervision(ctx: AppContext, logger: Logger): NodeJS.Timeout | null {
  const seconds = ctx.config.supervisionIntervalSeconds;
  if (seconds === 0 || !ctx.config.runWorkers) return null;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    ctx.calendar
      .get()
      .then((calendar) =>
        classifyClocks(ctx.database.db, calendar, {
          now: new Date(),
          escalationWorkingDays: ctx.config.escalationWorkingDays,
          sink: notificationSink(ctx),
        }),
      )
      .then(
        (r) =>
          r.raisedCount + r.escalated.length > 0
            ? logger.info({ raised: r.raisedCount, escalated: r.escalated.length }, 'supervision pass')
            : undefined,
        (error: unknown) => logger.error({ err: error }, 'supervision pass failed; retried next interval'),
      )
      .finally(() => (running = false));
  }, seconds * 1000);
  timer.unref();
  return timer;
}

export async function startServer(config: Config, logger: Logger): Promise<Running> {
  const ctx = await createContext(config, logger, { jobs: true });
  if (config.seedDemoOnEmpty && (await countOrgs(ctx.database.db)) === 0) {
    const seeded = await seedDemo(ctx.database.db);
    logger.info(
      { orgs: seeded.orgs, users: seeded.usersCreated },
      'empty database: demo data seeded (password in README)',
    );
  }
  if (config.runWorkers && ctx.jobs) await registerWorkers(ctx.jobs, ctx, logger);
  const app = await buildApp(ctx, logger);
  const url = await app.listen({ port: config.port, host: config.host });
  const checkpointTimer = scheduleCheckpoints(ctx, logger);
  const supervisionTimer = scheduleSupervision(ctx, logger);
  const chainTimer = scheduleChainer(ctx, logger);
  logger.info({ url, database: ctx.database.engine, dataDir: config.dataDir }, 'Guotu is listening');
  let closing: Promise<void> | null = null;
  return {
    app,
    ctx,
    url,
    close() {
      closing ??= (async () => {
        ctx.ready = false;
        if (chainTimer) clearInterval(chainTimer);
        if (checkpointTimer) clearInterval(checkpointTimer);
        if (supervisionTimer) clearInterval(supervisionTimer);
        await app.close();
        await ctx.jobs?.stop();
        await chainAudit(ctx.database.db); // link the last records before the database closes
        await closeContext(ctx);
      })();
      return closing;
    },
  };
}
