import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, freshDatabase, type TestDatabase } from '../../test/harness.ts';
import { inTransaction, PREPARED } from './db.ts';
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

  it('runs a statement marked PREPARED as a named prepared statement on PostgreSQL, with its parameters, again and again', async () => {
    const text = sql.raw(PREPARED);
    for (const n of [1, 2, 3]) {
      // one connection (a transaction), so the second run finds the first one's statement
      const rows = await inTransaction(t.database.db, async (tx) => {
        const a = await sql<{ v: number }>`${text}select ${n}::int * 2 as v`.execute(tx);
        const b = await sql<{ v: number }>`${text}select ${n + 10}::int * 2 as v`.execute(tx);
        const named =
          engine === 'postgres'
            ? (
                await sql<{
                  name: string;
                  statement: string;
                }>`select name, statement from pg_prepared_statements`.execute(tx)
              ).rows
            : [];
        return { a: a.rows[0]?.v, b: b.rows[0]?.v, named };
      });
      expect([rows.a, rows.b]).toEqual([n * 2, (n + 10) * 2]);
      if (engine === 'postgres')
        expect(rows.named.filter((r) => r.statement.startsWith(PREPARED.trim()))).toEqual([
          expect.objectContaining({ name: expect.stringMatching(/^guotu_\d+$/) as unknown }),
        ]);
    }
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

  it('sends a job outside any transaction only while the job system runs', async () => {
    const count = async () =>
      (
        await sql<{
          n: number;
        }>`select count(*)::int as n from pgboss.job where name = 'system.noop' and data->>'sent' = 'now'`.execute(
          t.database.db,
        )
      ).rows[0]?.n ?? -1;
    expect(await jobs.send('system.noop', { sent: 'now' })).toEqual(expect.any(String));
    expect(await count()).toBe(1);
    const stopped = createJobs(t.database, createLogger({ logLevel: 'silent' }));
    expect(await stopped.send('system.noop', { sent: 'now' })).toBeNull(); // never started
    expect(await count()).toBe(1);
  });
});
