import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createChinaWorkingCalendar } from '@guotu/domain';
import { startServer, type Running } from '../../main.ts';
import { parseConfig } from '../../platform/config.ts';
import { createLogger } from '../../platform/logger.ts';
import { DEMO_PASSWORD } from '../../seed/demo.ts';
import { clockOfTimeLimit, resolveTimerDue } from './durations.ts';
import { fixture } from './test-support.ts';
import { fireTimer } from './service.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('workflow time: limits and timer due instants', () => {
  const calendar = createChinaWorkingCalendar();
  it('turns guotu:timeLimit into a clock unit and limit', () => {
    expect(clockOfTimeLimit('P5D', 'workday')).toEqual({ unit: 'workday', limit: 5 });
    expect(clockOfTimeLimit('P10D', undefined)).toEqual({ unit: 'day', limit: 10 });
    expect(clockOfTimeLimit('PT4H', 'workday')).toEqual({ unit: 'hour', limit: 4 });
    expect(clockOfTimeLimit('P1M', undefined)).toBeUndefined();
  });
  it('counts a working-day timer over the National Day holiday at the same time of day', () => {
    // 2026-09-30 (Wed) 10:00 Shanghai + 1 working day: Oct 1–7 are holidays → Oct 8 (Thu) 10:00
    // (makeup workdays of 2026: Sep 20 Sun and Oct 10 Sat per the State Council notice).
    expect(
      resolveTimerDue(calendar, { kind: 'duration', value: 'P1D', calendar: 'workday' }, '2026-09-30T02:00:00.000Z'),
    ).toBe('2026-10-08T02:00:00.000Z');
    expect(resolveTimerDue(calendar, { kind: 'duration', value: 'PT2H' }, '2026-09-30T02:00:00.000Z')).toBe(
      '2026-09-30T04:00:00.000Z',
    );
    expect(resolveTimerDue(calendar, { kind: 'cycle', value: 'R3/P1D' }, '2026-09-30T02:00:00.000Z')).toBe(
      '2026-10-01T02:00:00.000Z',
    );
  });
});

/*
 *   start → (wait PT2S) → mark [service: setVariable, via a job] → after 到期后处理 → end
 *
 * The server stops while the timer is pending and restarts after it fell due: the timer fires
 * once, the service job runs, the task appears. PGlite with a data directory on disk.
 */
describe('workflow timer across a restart (PGlite, file-backed)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'guotu-wf-restart-'));
  const config = parseConfig(
    {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      WEB_DIST: 'none',
      PORT: '0',
      HOST: '127.0.0.1',
      SESSION_SECRET: 'test-secret-that-is-long-enough-0123456789',
    },
    process.cwd(),
  );
  const logger = createLogger({ logLevel: 'silent' });
  let running: Running | null = null;
  afterAll(async () => {
    await running?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function login(app: Running['app'], username: string): Promise<Record<string, string>> {
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password: DEMO_PASSWORD },
    });
    const cookie = r.cookies.find((c) => c.name === 'guotu_session');
    return {
      cookie: `guotu_session=${cookie?.value ?? ''}`,
      'x-csrf-token': r.json<{ csrfToken: string }>().csrfToken,
    };
  }

  it('fires a timer that fell due while the server was down exactly once after start', async () => {
    running = await startServer(config, logger);
    const admin = await login(running.app, 'admin');
    expect(
      (
        await running.app.inject({
          method: 'POST',
          url: '/api/v1/workflow/definitions',
          headers: admin,
          payload: { xml: fixture('timer.bpmn') },
        })
      ).statusCode,
    ).toBe(201);
    const started = await running.app.inject({
      method: 'POST',
      url: '/api/v1/workflow/instances',
      headers: admin,
      payload: { key: 'timed', businessKey: 'T-1' },
    });
    const instanceId = started.json<{ instanceId: string }>().instanceId;
    const db = running.ctx.database.db;
    const timer = await db
      .selectFrom('wf_timers')
      .select(['id', 'status', 'due_at'])
      .where('instance_id', '=', instanceId)
      .executeTakeFirstOrThrow();
    expect(timer.status).toBe('pending');
    await running.close();
    running = null;

    await sleep(2500); // the timer falls due while nothing runs
    running = await startServer(config, logger);
    const db2 = running.ctx.database.db;
    let tasks: Array<{ node: string }> = [];
    for (let i = 0; i < 60 && tasks.length === 0; i++) {
      await sleep(500);
      tasks = await db2.selectFrom('wf_tasks').select('node').where('instance_id', '=', instanceId).execute();
    }
    expect(tasks.map((x) => x.node)).toEqual(['after']);
    const fired = await db2
      .selectFrom('wf_timers')
      .select(['status', 'fired_at'])
      .where('id', '=', timer.id)
      .executeTakeFirstOrThrow();
    expect(fired.status).toBe('fired');
    expect(fired.fired_at!.getTime()).toBeGreaterThanOrEqual(timer.due_at!.getTime());
    // A duplicate delivery of the job is a no-op.
    const deps = { db: db2, calendar: running.ctx.calendar, jobs: running.ctx.jobs };
    expect(await fireTimer(deps, timer.id)).toBe('skipped');
    const variables = await db2
      .selectFrom('wf_variables')
      .select(['name', 'value'])
      .where('instance_id', '=', instanceId)
      .where('name', '=', 'markDone')
      .execute();
    expect(variables).toEqual([{ name: 'markDone', value: true }]);
    const audit = await db2
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', instanceId)
      .where('action', '=', 'workflow.fireTimer')
      .execute();
    expect(audit).toHaveLength(1);
  });
});
