/**
 * Persisted workflow benchmark (issue 4, second half): task completions per second and their
 * p99 latency with 16 concurrent clients, through the server's service layer (not HTTP), on
 * PostgreSQL (a fresh database, dropped afterwards) and on PGlite (file-backed, as `npm start`).
 *
 *   start → 受理 accept ─▶ ⊗ xg ─(default)─▶ ✚ fork ─▶ reviewA 耕保处 ─┐
 *                                               └─▶ reviewB 用地处 ─┴▶ ✚ join → decide 审批 → end
 *
 * The approval process of the scenario tests (apps/server/src/modules/workflow/fixtures/
 * approval.bpmn), run twice: as is (every task carries a working-day time limit, so each
 * completion also stops a statutory clock and each new task starts one — more audit records),
 * and without the time limits (the engine bench's shape). Per instance: 1 start + 4 completions,
 * each its own transaction with the instance row lock, row difference, history and audit record.
 *
 * Run: npx tsx bench/workflow-persisted.bench.ts   (PG_URL overrides the PostgreSQL server;
 * INSTANCES_PER_CLIENT / INSTANCES_PER_CLIENT_PGLITE the load; ENGINES=postgres or pglite one engine
 * only; ROUNDS rounds of each variant (5; the median is reported); OUT another result file; LANES / GROUP_MAX the group commit's settings; CPU_PROFILE=dir a
 * V8 profile of the 16-client run without time limits; LOG_STATEMENTS=1 every statement in the PostgreSQL log). Writes bench/results/workflow-persisted.json.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { Session } from 'node:inspector';
import pg from 'pg';
import { sql } from 'kysely';
import { rolePermissions, type Actor, type Permission, type RoleKey } from '../packages/domain/src/index.ts';
import { openDatabase, inTransaction, type Database } from '../apps/server/src/platform/db.ts';
import { migrate } from '../apps/server/src/platform/migrate.ts';
import { createJobs } from '../apps/server/src/platform/jobs.ts';
import { createLogger } from '../apps/server/src/platform/logger.ts';
import { CalendarProvider, ensureCalendarData } from '../apps/server/src/modules/calendar/service.ts';
import { appendAudit } from '../apps/server/src/modules/audit/repository.ts';
import { seedDemo } from '../apps/server/src/seed/demo.ts';
import {
  deployDefinition,
  operateTask,
  startInstance,
  type WorkflowDeps,
} from '../apps/server/src/modules/workflow/service.ts';
import { enablePhaseTimings } from '../apps/server/src/modules/workflow/host.ts';
import { defaultGroupCommit, groupCommitStats } from '../apps/server/src/modules/workflow/group-commit.ts';

const here = dirname(fileURLToPath(import.meta.url));
const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CLIENTS = 16;
const xmlWithLimits = readFileSync(join(here, '../apps/server/src/modules/workflow/fixtures/approval.bpmn'), 'utf8');
const xmlNoLimits = xmlWithLimits.replace(/ guotu:timeLimit="P\dD" guotu:calendar="workday"/g, '');

interface Figures {
  variant: string;
  instances: number;
  completions: number;
  seconds: number;
  completionsPerSecond: number;
  commandsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  phasesMsPerCommand: { load: number; step: number; write: number; audit: number; other: number };
  /** CPU spent per command (all commands, starts included): this process, and the PostgreSQL backends of the bench database */
  cpuMsPerCommand: { node: number; postgres: number | null };
  /** group commit: transactions run and the mean number of commands in one */
  groups: { transactions: number; commandsPerTransaction: number; reruns: number };
  /** every round of the variant when it ran several (these figures are the median round's) */
  rounds?: Array<{ completionsPerSecond: number; p99Ms: number }>;
}

/** CPU ms of the PostgreSQL backends serving this database (Linux /proc; null where unreadable or on PGlite). */
async function backendCpuMs(database: Database): Promise<number | null> {
  if (database.engine !== 'postgres') return null;
  const r = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(
    database.db,
  );
  let ticks = 0;
  for (const { pid } of r.rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      return null;
    }
  }
  return ticks * 10; // USER_HZ = 100
}

/** CPU_PROFILE=dir: a V8 CPU profile of the 16-client run without time limits only (load it in Chrome DevTools). */
async function startProfile(): Promise<{ stop(name: string): Promise<void> } | null> {
  const dir = process.env.CPU_PROFILE;
  if (!dir) return null;
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    async stop(name) {
      const { profile } = (await post('Profiler.stop')) as { profile: object };
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function actors(database: Database): Promise<Record<string, Actor>> {
  const rows = await database.db
    .selectFrom('users as u')
    .innerJoin('org_units as o', 'o.id', 'u.org_id')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .select(['u.id', 'u.username', 'u.org_id', 'o.path', 'r.role_key'])
    .where('u.username', 'in', ['admin', 'window', 'reviewer', 'handler', 'leader'])
    .execute();
  const out: Record<string, Actor> = {};
  for (const r of rows) {
    const roles = [r.role_key as RoleKey];
    const permissions = [...new Set(roles.flatMap((k) => rolePermissions[k]))] as Permission[];
    out[r.username] = {
      userId: r.id,
      username: r.username,
      roles,
      permissions,
      orgId: r.org_id,
      orgPath: r.path,
      requestId: 'bench',
    };
  }
  return out;
}

async function runVariant(
  database: Database,
  deps: WorkflowDeps,
  who: Record<string, Actor>,
  key: string,
  perClient: number,
  variant: string,
  clients = CLIENTS,
): Promise<Figures> {
  const latencies: number[] = [];
  let completions = 0;
  let commands = 0;
  const completeAs = async (user: string, taskId: string): Promise<Awaited<ReturnType<typeof operateTask>>> => {
    const t0 = performance.now();
    const r = await operateTask(deps, who[user]!, taskId, 'complete', { decision: 'approve', opinion: '同意' });
    latencies.push(performance.now() - t0);
    completions++;
    commands++;
    return r;
  };
  const client = async (c: number): Promise<void> => {
    for (let i = 0; i < perClient; i++) {
      const started = await startInstance(deps, who.window!, {
        key,
        businessKey: `B-${c}-${i}`,
        variables: { simple: false },
      });
      commands++;
      const afterAccept = await completeAs('window', started.tasks[0]!.id);
      const a = afterAccept.tasks.find((t) => t.node === 'reviewA')!.id;
      const b = afterAccept.tasks.find((t) => t.node === 'reviewB')!.id;
      await completeAs('reviewer', a);
      const joined = await completeAs('handler', b);
      const done = await completeAs('leader', joined.tasks[0]!.id);
      if (done.status !== 'completed') throw new Error(`instance ${done.instanceId} ended ${done.status}`);
    }
  };
  const phases = enablePhaseTimings();
  const groups0 = groupCommitStats(deps);
  const cpu0 = process.cpuUsage();
  const pg0 = await backendCpuMs(database);
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
  const seconds = (performance.now() - t0) / 1000;
  const groups1 = groupCommitStats(deps);
  const cpu = process.cpuUsage(cpu0);
  const pg1 = await backendCpuMs(database);
  latencies.sort((x, y) => x - y);
  const perCommand = (ms: number) => ms / Math.max(1, phases.commands);
  const totalMsPerCommand = (seconds * 1000 * clients) / commands;
  return {
    variant,
    instances: clients * perClient,
    completions,
    seconds,
    completionsPerSecond: completions / seconds,
    commandsPerSecond: commands / seconds,
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1] ?? 0,
    },
    phasesMsPerCommand: {
      load: perCommand(phases.loadMs),
      step: perCommand(phases.stepMs),
      write: perCommand(phases.writeMs),
      audit: perCommand(phases.auditMs),
      other: totalMsPerCommand - perCommand(phases.loadMs + phases.stepMs + phases.writeMs + phases.auditMs),
    },
    groups: {
      transactions: groups1.transactions - groups0.transactions,
      reruns: groups1.reruns - groups0.reruns,
      commandsPerTransaction:
        (groups1.commands - groups0.commands) / Math.max(1, groups1.transactions - groups0.transactions),
    },
    cpuMsPerCommand: {
      node: (cpu.user + cpu.system) / 1000 / commands,
      postgres: pg0 === null || pg1 === null ? null : (pg1 - pg0) / commands,
    },
  };
}

/** Transactions that only append an audit record: what any audited write costs at best on this box, in this run. */
async function auditOnly(
  database: Database,
  perClient: number,
): Promise<{ transactionsPerSecond: number; p99Ms: number }> {
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let i = 0; i < perClient; i++) {
        const s = performance.now();
        await inTransaction(database.db, (tx) =>
          appendAudit(tx, {
            actorId: null,
            actorName: 'bench',
            action: 'bench.audit',
            entityType: 'bench',
            entityId: i,
          }),
        );
        latencies.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((x, y) => x - y);
  return { transactionsPerSecond: (CLIENTS * perClient) / seconds, p99Ms: percentile(latencies, 99) };
}

async function benchEngine(engine: 'postgres' | 'pglite', perClient: number) {
  let database: Database;
  let cleanup: () => Promise<void>;
  if (engine === 'postgres') {
    const name = `guotu_bench_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    // LOG_STATEMENTS=1: every statement of the bench database, with its duration, in the server's log
    if (process.env.LOG_STATEMENTS) await admin.query(`alter database ${name} set log_min_duration_statement = 0`);
    await admin.end();
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    database = await openDatabase({ databaseUrl: url.toString(), dataDir: null });
    cleanup = async () => {
      await database.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'guotu-bench-'));
    database = await openDatabase({ databaseUrl: null, dataDir: dir });
    cleanup = async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const jobs = createJobs(database, createLogger({ logLevel: 'silent' }));
  try {
    await migrate(database.db);
    await ensureCalendarData(database.db);
    await jobs.start();
    await seedDemo(database.db);
    const deps: WorkflowDeps = {
      db: database.db,
      calendar: new CalendarProvider(database.db),
      jobs,
      groupCommit: {
        ...defaultGroupCommit,
        ...(process.env.LANES ? { lanes: Number(process.env.LANES) } : {}),
        ...(process.env.GROUP_MAX ? { max: Number(process.env.GROUP_MAX) } : {}),
      },
    };
    const who = await actors(database);
    await deployDefinition(database.db, who.admin!, { xml: xmlWithLimits, key: 'approvalClocks' });
    await deployDefinition(database.db, who.admin!, { xml: xmlNoLimits, key: 'approvalPlain' });
    await runVariant(database, deps, who, 'approvalPlain', 2, 'warm-up');
    // The machine's speed moves by tens of per cent within minutes: ROUNDS rounds of each variant,
    // interleaved, and the median round reported with the range of all.
    const plainRounds: Figures[] = [];
    const clockRounds: Figures[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const profile = round === 0 ? await startProfile() : null;
      plainRounds.push(await runVariant(database, deps, who, 'approvalPlain', perClient, 'without time limits'));
      await profile?.stop(`${engine}-plain`);
      clockRounds.push(
        await runVariant(database, deps, who, 'approvalClocks', perClient, 'with working-day step clocks'),
      );
    }
    const plain = median(plainRounds);
    const clocks = median(clockRounds);
    const audit = await auditOnly(database, perClient * 4);
    // One client, no waiting: what a command costs by itself (the serial profile).
    const serial = await runVariant(
      database,
      deps,
      who,
      'approvalPlain',
      perClient,
      'one client, without time limits',
      1,
    );
    return { engine, plain, clocks, serial, auditOnly: audit };
  } finally {
    await jobs.stop();
    await cleanup();
  }
}

/** The round with the median throughput, carrying every round's throughput and p99. */
function median(rounds: Figures[]): Figures {
  const sorted = [...rounds].sort((a, b) => a.completionsPerSecond - b.completionsPerSecond);
  const mid = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return {
    ...mid,
    rounds: rounds.map((f) => ({ completionsPerSecond: f.completionsPerSecond, p99Ms: f.latencyMs.p99 })),
  };
}

function line(engine: string, f: Figures): string {
  const p = f.phasesMsPerCommand;
  const rounds = f.rounds ?? [];
  const range =
    rounds.length > 1
      ? `  (median of ${rounds.length} rounds: ${Math.min(...rounds.map((r) => r.completionsPerSecond)).toFixed(0)}–${Math.max(...rounds.map((r) => r.completionsPerSecond)).toFixed(0)}/s, p99 up to ${Math.max(...rounds.map((r) => r.p99Ms)).toFixed(1)} ms)`
      : '';
  return (
    `${engine.padEnd(8)} ${f.variant.padEnd(32)} ${f.completionsPerSecond.toFixed(0).padStart(6)} completions/s  p50 ${f.latencyMs.p50.toFixed(1)} ms  p99 ${f.latencyMs.p99.toFixed(1)} ms${range}` +
    `  CPU/command: node ${f.cpuMsPerCommand.node.toFixed(2)} ms, postgres ${f.cpuMsPerCommand.postgres?.toFixed(2) ?? '–'} ms` +
    `  ${f.groups.commandsPerTransaction.toFixed(1)} commands/transaction, ${f.groups.reruns} failed groups rerun` +
    `  (per command: load ${p.load.toFixed(2)}, step ${p.step.toFixed(2)}, writes (incl. clocks, audit) ${p.write.toFixed(2)}, listeners ${p.audit.toFixed(2)}, other (begin, commit, pool, event loop) ${p.other.toFixed(2)} ms)`
  );
}

const perClientPg = Number(process.env.INSTANCES_PER_CLIENT ?? 40);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const perClientLite = Number(process.env.INSTANCES_PER_CLIENT_PGLITE ?? 10);
const loadBefore = loadavg();
const results = [];
const engines = (process.env.ENGINES ?? 'postgres,pglite').split(',');
for (const [engine, perClient] of [
  ['postgres', perClientPg],
  ['pglite', perClientLite],
] as const) {
  if (!engines.includes(engine)) continue;
  try {
    const r = await benchEngine(engine, perClient);
    results.push(r);
    console.log(line(engine, r.plain));
    console.log(line(engine, r.clocks));
    console.log(line(engine, r.serial));
    console.log(
      `${engine.padEnd(8)} ${'audit append only'.padEnd(32)} ${r.auditOnly.transactionsPerSecond.toFixed(0).padStart(6)} transactions/s  p99 ${r.auditOnly.p99Ms.toFixed(1)} ms (any audited write at best)`,
    );
  } catch (error) {
    console.error(`${engine}: not measured — ${error instanceof Error ? error.message : String(error)}`);
    results.push({ engine, error: error instanceof Error ? error.message : String(error) });
  }
}
const goals = { postgres: { completionsPerSecond: 1000, p99Ms: 50 }, pglite: { completionsPerSecond: 200 } };
const out = process.env.OUT ?? join(here, 'results', 'workflow-persisted.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ benchmark: 'workflow-persisted', date: new Date().toISOString(), node: process.version, cpus: cpus().length, loadAverage: { before: loadBefore, after: loadavg() }, clients: CLIENTS, goals, results }, null, 2)}\n`,
);
