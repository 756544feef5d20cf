import { existsSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { AppError } from '@guotu/domain';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import type { DB } from './db-types.ts';
import { ExclusiveLock, PGliteDialect } from './pglite-dialect.ts';

export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;
/** Anything SQL can run on: the database or an open transaction. */
export type Executor = Db | Tx;

/** What pg-boss needs to run SQL (its `db` option). */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface Database {
  engine: 'pglite' | 'postgres';
  db: Db;
  /** for pg-boss: PGlite through the same exclusive gate; null on PostgreSQL (boss has its own pool) */
  bossExecutor: SqlExecutor | null;
  connectionString: string | null;
  close(): Promise<void>;
}

// int8 (count(*), bigint ids) arrives as a string from pg; keep it so (no silent precision loss).
export async function openDatabase(options: { databaseUrl: string | null; dataDir: string | null }): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openPGlite(options.dataDir);
}

// Civil dates (`date`, OID 1082) stay 'YYYY-MM-DD' strings on both engines: turning them into a
// JS Date would shift them by the server's time zone — a legal date must never move.
const DATE_OID = 1082;
const keepDateText = (value: string) => value;

function openPostgres(connectionString: string): Database {
  const defaultParser = (oid: number): ((value: string) => unknown) =>
    pg.types.getTypeParser(oid, 'text') as (value: string) => unknown;
  const getTypeParser = ((oid: number) =>
    oid === DATE_OID ? keepDateText : defaultParser(oid)) as typeof pg.types.getTypeParser;
  const pool = new pg.Pool({ connectionString, max: 20, types: { getTypeParser } });
  // An idle client's connection can die (server restart, admin termination); pg-pool emits
  // 'error' and would crash the process if nobody listened. The pool drops that client and
  // opens a new one on the next query, so a warning is the right response.
  pool.on('error', (error) => process.emitWarning(`PostgreSQL idle client error: ${error.message}`, 'DatabaseWarning'));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
  return {
    engine: 'postgres',
    db,
    bossExecutor: null,
    connectionString,
    close: () => db.destroy(),
  };
}

/**
 * Marks a statement to be kept prepared on each connection (PostgreSQL only): a statement whose
 * text starts with this comment runs as a named prepared statement, parsed once per connection
 * and, after a few executions, planned once (PostgreSQL's plan cache) instead of on every run.
 * For hot statements with few distinct texts — the workflow's group write, whose text depends
 * only on which of its parts a group needs. Parameters stay parameters. On PGlite it is a comment.
 */
export const PREPARED = '/* prepared */ ';

/**
 * Distinct texts given a name, per process; a text beyond this runs unnamed. Each named text costs
 * a parsed statement and a plan on every connection that runs it, so the number stays bounded
 * whatever a caller marks.
 */
const MAX_PREPARED = 64;

/** pg.Pool for Kysely, with the statements marked PREPARED sent as named statements. */
function preparingPool(pool: pg.Pool): PostgresPool {
  const names = new Map<string, string>();
  const nameOf = (text: string): string | undefined => {
    let name = names.get(text);
    if (name === undefined && names.size < MAX_PREPARED) {
      name = `guotu_${names.size + 1}`;
      names.set(text, name);
    }
    return name;
  };
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let w = wrapped.get(client);
      if (!w) {
        // Kysely calls query(text, parameters), or query(cursor) when streaming with a cursor class
        const query = (text: unknown, values?: readonly unknown[]): unknown => {
          if (typeof text !== 'string') return client.query(text as never);
          const name = text.startsWith(PREPARED) ? nameOf(text) : undefined;
          return name === undefined
            ? client.query(text, values as unknown[])
            : client.query({ name, text, values: values as unknown[] });
        };
        w = { query: query as PostgresPoolClient['query'], release: () => client.release() };
        wrapped.set(client, w);
      }
      return w;
    },
    end: () => pool.end(),
  };
}

/** dataDir null = in memory (tests). */
async function openPGlite(dataDir: string | null): Promise<Database> {
  let pglite: PGlite;
  let unlock = () => {};
  if (dataDir) {
    const dir = path.join(dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    unlock = lockDataDir(dir);
    pglite = await PGlite.create(dir, { parsers: { [DATE_OID]: keepDateText } });
  } else {
    pglite = await PGlite.create({ parsers: { [DATE_OID]: keepDateText } });
  }
  const lock = new ExclusiveLock();
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite, lock) });
  const bossExecutor: SqlExecutor = {
    async executeSql(text, values) {
      const release = await lock.acquire();
      try {
        if (values && values.length > 0) return await pglite.query(text, values);
        const results = await pglite.exec(text);
        return { rows: results[results.length - 1]?.rows ?? [] };
      } finally {
        release();
      }
    },
  };
  return {
    engine: 'pglite',
    db,
    bossExecutor,
    connectionString: null,
    async close() {
      await db.destroy();
      unlock();
    },
  };
}

/**
 * PGlite's files belong to one process at a time; a second opener would corrupt them. A lock
 * file with our pid guards the directory; a lock left by a dead process is taken over.
 */
function lockDataDir(dir: string): () => void {
  const file = path.join(dir, '..', 'pglite.lock');
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
      throw new AppError(
        'DEPENDENCY_UNAVAILABLE',
        `the embedded database in ${path.dirname(dir)} is in use by process ${pid} (a running server?); stop it, use the HTTP API, or set DATABASE_URL`,
      );
    }
  }
  writeFileSync(file, String(process.pid));
  return () => {
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
    } catch {
      // already gone: nothing to release
    }
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The one transaction helper: state change, audit row and job rows commit together or not at all. */
export function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(work);
}

/** pg-boss executor bound to an open transaction, so jobs are enqueued atomically with the state. */
export function transactionExecutor(tx: Tx): SqlExecutor {
  return {
    async executeSql(text, values) {
      const result = await tx.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: result.rows };
    },
  };
}
