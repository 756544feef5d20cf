import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { CompiledQuery, Kysely, PostgresDialect, type Transaction } from 'kysely';
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

function openPostgres(connectionString: string): Database {
  const pool = new pg.Pool({ connectionString, max: 20 });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    engine: 'postgres',
    db,
    bossExecutor: null,
    connectionString,
    close: () => db.destroy(),
  };
}

/** dataDir null = in memory (tests). */
async function openPGlite(dataDir: string | null): Promise<Database> {
  let pglite: PGlite;
  if (dataDir) {
    const dir = path.join(dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    pglite = await PGlite.create(dir);
  } else {
    pglite = await PGlite.create();
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
  return { engine: 'pglite', db, bossExecutor, connectionString: null, close: () => db.destroy() };
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
