/**
 * Test harness: every integration test runs on each available engine — PGlite always,
 * PostgreSQL when DATABASE_URL is set (a fresh database per call, dropped afterwards).
 * scripts/test.mjs reports when PostgreSQL was not available; under CI=true it must be.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { parseConfig, type Config } from '../src/platform/config.ts';
import { createLogger } from '../src/platform/logger.ts';
import { openDatabase, type Database } from '../src/platform/db.ts';
import { migrate } from '../src/platform/migrate.ts';
import { buildApp } from '../src/http/app.ts';
import type { AppContext } from '../src/http/context.ts';
import { createJobs } from '../src/platform/jobs.ts';
import { seedDemo, DEMO_PASSWORD } from '../src/seed/demo.ts';
import { CalendarProvider, ensureCalendarData } from '../src/modules/calendar/service.ts';

export type Engine = 'pglite' | 'postgres';

export const engines: Engine[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase {
  database: Database;
  url: string | null;
  drop(): Promise<void>;
}

/** A fresh, migrated database on the given engine. */
export async function freshDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const database = await openDatabase({ databaseUrl: null, dataDir: null });
    await migrate(database.db);
    await ensureCalendarData(database.db);
    return { database, url: null, drop: () => database.close() };
  }
  const admin = process.env.DATABASE_URL;
  if (!admin) throw new Error('postgres engine requested without DATABASE_URL');
  const name = `guotu_t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: null });
  await migrate(database.db);
  await ensureCalendarData(database.db);
  return {
    database,
    url: url.toString(),
    async drop() {
      await database.close();
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'guotu-test-'));
  return parseConfig(
    {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      WEB_DIST: 'none',
      SESSION_SECRET: 'test-secret-that-is-long-enough-0123456789',
      ...overrides,
    },
    process.cwd(),
  );
}

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  engine: Engine;
  /** signs in and returns headers for later calls (cookie + CSRF) */
  login(
    username: string,
    password?: string,
  ): Promise<{ cookie: string; csrf: string; headers: Record<string, string> }>;
  close(): Promise<void>;
}

/** The whole HTTP app on a fresh database with the demo data. */
export async function createTestApp(
  engine: Engine,
  options: { jobs?: boolean; config?: Record<string, string> } = {},
): Promise<TestApp> {
  const test = await freshDatabase(engine);
  const config = testConfig(options.config);
  const logger = createLogger({ logLevel: 'silent' });
  const jobs = options.jobs ? createJobs(test.database, logger) : null;
  if (jobs) await jobs.start();
  await seedDemo(test.database.db, { spatial: false });
  const ctx: AppContext = {
    config,
    database: test.database,
    jobs,
    ready: true,
    calendar: new CalendarProvider(test.database.db),
    auth: {
      db: test.database.db,
      sessionSecret: config.sessionSecret,
      sessionTtlHours: 12,
      lockoutThreshold: config.lockoutThreshold,
      lockoutMinutes: config.lockoutMinutes,
      now: () => new Date(),
    },
  };
  const app = await buildApp(ctx, false);
  await app.ready();
  return {
    app,
    ctx,
    engine,
    async login(username, password = DEMO_PASSWORD) {
      const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
      if (response.statusCode !== 200)
        throw new Error(`login ${username} failed: ${response.statusCode} ${response.body}`);
      const setCookie = response.cookies.find((c) => c.name === 'guotu_session');
      if (!setCookie) throw new Error('no session cookie');
      const cookie = `guotu_session=${setCookie.value}`;
      const csrf = response.json<{ csrfToken: string }>().csrfToken;
      return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
    },
    async close() {
      await app.close();
      await jobs?.stop();
      await test.drop();
      rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}
