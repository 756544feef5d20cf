import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, freshDatabase, type TestDatabase } from '../../test/harness.ts';
import { inTransaction } from './db.ts';
import { createJobs, type Jobs } from './jobs.ts';
import { createLogger } from './logger.ts';
import { migrate } from './migrate.ts';

describe.each(engines)('database platform on %s', (engine) => {
  let t: TestDatabase;
  let jobs: Jobs;
  beforeAll(async () => {
    t = await freshDatabase(engine);
    jobs = createJobs(t.database, createLogger({ logLevel: 'silent' }));
    await jobs.start();
  });
  afterAll(async () => {
    await jobs.stop();
    await t.drop();
  });

  it('applies migrations once: a second run applies nothing', async () => {
    const again = await migrate(t.database.db);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBeGreaterThanOrEqual(1);
  });

  it('rolls a failed transaction back whole: no row, no audit, no job', async () => {
    const countJobs = async () =>
      (
        await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = 'system.noop'`.execute(
          t.database.db,
        )
      ).rows[0]?.n ?? -1;
    const before = await countJobs();
    await expect(
      inTransaction(t.database.db, async (tx) => {
        await tx
          .insertInto('divisions')
          .values({ code: '990000', name: '测试省', level: 'province', parent_code: null })
          .execute();
        await jobs.enqueue(tx, 'system.noop', { n: 1 });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(
      await t.database.db.selectFrom('divisions').select('code').where('code', '=', '990000').executeTakeFirst(),
    ).toBeUndefined();
    expect(await countJobs()).toBe(before);
  });

  it('enqueues a job inside the caller transaction: it exists once the transaction commits, and a worker runs it', async () => {
    const seen: unknown[] = [];
    const done = new Promise<void>((resolve) => {
      void jobs.work('system.noop', async (data) => {
        seen.push(data);
        resolve();
      });
    });
    await inTransaction(t.database.db, async (tx) => {
      await tx
        .insertInto('divisions')
        .values({ code: '980000', name: '另一测试省', level: 'province', parent_code: null })
        .execute();
      await jobs.enqueue(tx, 'system.noop', { marker: engine });
    });
    await done;
    expect(seen).toContainEqual({ marker: engine });
  });
});
