import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from './db.ts';

const migrationsDir = path.resolve(import.meta.dirname, '../../migrations');

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

// Any constant: all migrators serialise on it, so two app nodes starting at once are safe.
const MIGRATION_LOCK = 7_404_2026;

/** Applies pending `migrations/NNNN_*.sql` in order, each in its own transaction. */
export async function migrate(db: Db): Promise<MigrationResult> {
  await sql`create table if not exists guotu_migrations (name text primary key, applied_at timestamptz not null default now())`.execute(
    db,
  );
  const files = readdirSync(migrationsDir)
    .filter((f) => /^\d{4}_[a-z0-9_-]+\.sql$/.test(f))
    .sort();
  const applied: string[] = [];
  let alreadyApplied = 0;
  for (const file of files) {
    const done = await db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(tx);
      const existing = await tx
        .selectFrom('guotu_migrations')
        .select('name')
        .where('name', '=', file)
        .executeTakeFirst();
      if (existing) return false;
      await sql.raw(readFileSync(path.join(migrationsDir, file), 'utf8')).execute(tx);
      await tx.insertInto('guotu_migrations').values({ name: file }).execute();
      return true;
    });
    if (done) applied.push(file);
    else alreadyApplied += 1;
  }
  return { applied, alreadyApplied };
}
