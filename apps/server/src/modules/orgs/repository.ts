import { sql } from 'kysely';
import type { OrgUnit } from '@guotu/contracts';
import type { OrgKind } from '@guotu/domain';
import type { Executor } from '../../platform/db.ts';

const columns = ['id', 'parent_id', 'kind', 'name', 'division_code', 'path'] as const;

function present(row: {
  id: number;
  parent_id: number | null;
  kind: OrgKind;
  name: string;
  division_code: string | null;
  path: string;
}): OrgUnit {
  return {
    id: row.id,
    parentId: row.parent_id,
    kind: row.kind,
    name: row.name,
    divisionCode: row.division_code,
    path: row.path,
  };
}

/** Every unit in the subtree whose path starts with `scopePath`, parents before children. */
export async function listOrgsInScope(db: Executor, scopePath: string): Promise<OrgUnit[]> {
  const rows = await db
    .selectFrom('org_units')
    .select(columns)
    .where('path', 'like', `${scopePath}%`)
    .orderBy(sql`length(path)`)
    .orderBy('id')
    .execute();
  return rows.map(present);
}

export async function findOrgInScope(db: Executor, id: number, scopePath: string): Promise<OrgUnit | undefined> {
  const row = await db
    .selectFrom('org_units')
    .select(columns)
    .where('id', '=', id)
    .where('path', 'like', `${scopePath}%`)
    .executeTakeFirst();
  return row ? present(row) : undefined;
}

export async function findOrgByDivision(db: Executor, divisionCode: string): Promise<OrgUnit | undefined> {
  const row = await db
    .selectFrom('org_units')
    .select(columns)
    .where('division_code', '=', divisionCode)
    .where('kind', 'in', ['province', 'city', 'county'])
    .executeTakeFirst();
  return row ? present(row) : undefined;
}

export async function findOrgByName(db: Executor, parentId: number | null, name: string): Promise<OrgUnit | undefined> {
  let query = db.selectFrom('org_units').select(columns).where('name', '=', name);
  query = parentId === null ? query.where('parent_id', 'is', null) : query.where('parent_id', '=', parentId);
  const row = await query.executeTakeFirst();
  return row ? present(row) : undefined;
}

/** Inserts and sets the materialised path in the same statement sequence (inside the caller's transaction). */
export async function insertOrg(
  db: Executor,
  org: { parentId: number | null; parentPath: string; kind: OrgKind; name: string; divisionCode: string | null },
): Promise<OrgUnit> {
  const inserted = await db
    .insertInto('org_units')
    .values({ parent_id: org.parentId, kind: org.kind, name: org.name, division_code: org.divisionCode })
    .returning('id')
    .executeTakeFirstOrThrow();
  const path = `${org.parentPath}${inserted.id}/`;
  const row = await db
    .updateTable('org_units')
    .set({ path })
    .where('id', '=', inserted.id)
    .returning(columns)
    .executeTakeFirstOrThrow();
  return present(row);
}

export async function countOrgs(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('org_units')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}
