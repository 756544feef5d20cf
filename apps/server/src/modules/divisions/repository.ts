import type { Division } from '@guotu/contracts';
import type { Executor } from '../../platform/db.ts';

export async function findDivision(db: Executor, code: string): Promise<Division | undefined> {
  const row = await db.selectFrom('divisions').selectAll().where('code', '=', code).executeTakeFirst();
  return row ? { code: row.code, name: row.name, level: row.level, parentCode: row.parent_code } : undefined;
}

export async function listDivisions(db: Executor, parentCode: string | null): Promise<Division[]> {
  let query = db.selectFrom('divisions').selectAll().orderBy('code');
  query = parentCode === null ? query.where('parent_code', 'is', null) : query.where('parent_code', '=', parentCode);
  const rows = await query.execute();
  return rows.map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code }));
}

/** Upserts the shipped division list (idempotent). */
export async function upsertDivisions(db: Executor, divisions: readonly Division[]): Promise<void> {
  for (let i = 0; i < divisions.length; i += 200) {
    const chunk = divisions.slice(i, i + 200);
    await db
      .insertInto('divisions')
      .values(chunk.map((d) => ({ code: d.code, name: d.name, level: d.level, parent_code: d.parentCode })))
      .onConflict((oc) =>
        oc.column('code').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          level: eb.ref('excluded.level'),
          parent_code: eb.ref('excluded.parent_code'),
        })),
      )
      .execute();
  }
}
