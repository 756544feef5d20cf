/**
 * Supervision benchmark (issue 7): classify 1,000,000 open clocks (some paused) and raise their
 * yellow/red alerts in one set-based pass — on PostgreSQL (goal < 1 s) and on PGlite (reported).
 * The clocks are generated in SQL: starts spread over 2026, limits 5–20 working days; warn_at and
 * due_at written as the domain would have derived them (here: approximated by calendar spacing —
 * the pass itself only compares stored instants, which is what is measured).
 *
 *   npx tsx bench/supervision.bench.ts [--n 1000000] [--pglite-n 200000]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { createChinaWorkingCalendar } from '@guotu/domain';
import { openDatabase, type Database } from '../apps/server/src/platform/db.ts';
import { migrate } from '../apps/server/src/platform/migrate.ts';
import { classifyClocks } from '../apps/server/src/modules/supervision/service.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('n', 1_000_000);
const PGLITE_N = arg('pglite-n', 1_000_000);
const NOW = new Date('2026-07-01T10:00:00+08:00');
// Share of clocks past due at NOW. Default 5 % (a province with a healthy on-time rate; the
// supervision office's own bulletins run at 95 %+ on time); --overdue-share 0.5 for a worst case.
const OVERDUE_SHARE = arg('overdue-share', 0.05);

async function fill(database: Database, n: number): Promise<void> {
  // 10 % paused (no due); the rest: due spread over 120 days so that OVERDUE_SHARE of them lie
  // before NOW; warning 3 days before due (another ~2.5 % yellow).
  const before = Math.round(120 * OVERDUE_SHARE);
  await sql`insert into clocks (subject_type, subject_id, purpose, unit, started_at, limit_value, due_at, due_date, due_problem, warn_at)
    select 'task', g::text, 'step', 'workday', ts - interval '20 days', 15,
      case when g % 10 = 0 then null else ts end,
      case when g % 10 = 0 then null else (ts at time zone 'Asia/Shanghai')::date end,
      case when g % 10 = 0 then 'paused' else null end,
      case when g % 10 = 0 then null else ts - interval '3 days' end
    from (select g, ${NOW}::timestamptz + ((g::bigint * 7919) % 120 - ${before}::int) * interval '1 day' + (g % 86400) * interval '1 second' as ts
          from generate_series(1, ${n}::int) g) s`.execute(database.db);
  await sql`analyze clocks`.execute(database.db);
}

async function measure(label: string, database: Database, n: number) {
  const t0 = performance.now();
  await fill(database, n);
  const fillS = (performance.now() - t0) / 1000;
  const calendar = createChinaWorkingCalendar();
  const t1 = performance.now();
  const first = await classifyClocks(database.db, calendar, { now: NOW, escalationWorkingDays: 2 });
  const firstS = (performance.now() - t1) / 1000;
  const t2 = performance.now();
  const second = await classifyClocks(database.db, calendar, { now: NOW, escalationWorkingDays: 2 });
  const secondS = (performance.now() - t2) / 1000;
  const line = `${label}: ${n.toLocaleString('en')} open clocks (${Math.round(OVERDUE_SHARE * 100)} % overdue) — first pass ${firstS.toFixed(3)} s raising ${first.raisedCount.toLocaleString('en')} alerts; steady pass ${secondS.toFixed(3)} s (${second.raisedCount} new); fill ${fillS.toFixed(1)} s`;
  console.log(line);
  return {
    engine: label,
    clocks: n,
    overdueShare: OVERDUE_SHARE,
    firstPassSeconds: firstS,
    alertsRaised: first.raisedCount,
    steadyPassSeconds: secondS,
    fillSeconds: fillS,
  };
}

async function main() {
  const results = [];
  const admin = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `guotu_bench_sup_${process.pid}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  try {
    const url = new URL(admin);
    url.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: url.toString(), dataDir: null });
    await migrate(database.db);
    try {
      results.push(await measure('PostgreSQL', database, N));
    } finally {
      await database.close();
    }
  } finally {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  }
  const lite = await openDatabase({ databaseUrl: null, dataDir: null });
  await migrate(lite.db);
  results.push(await measure('PGlite', lite, PGLITE_N));
  await lite.close();
  const pgResult = results[0];
  if (pgResult) console.log(`goal (PostgreSQL first pass < 1 s): ${pgResult.firstPassSeconds < 1 ? 'met' : 'NOT met'}`);
  const out = path.resolve(import.meta.dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    path.join(out, 'supervision.json'),
    JSON.stringify({ at: new Date().toISOString(), machine: '2 cores', results }, null, 2) + '\n',
  );
}

await main();
