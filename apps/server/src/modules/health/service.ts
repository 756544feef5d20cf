import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';

export async function checkDatabase(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false; // readiness reports it; the caller answers 503
  }
}
