import { sql } from 'kysely';
import type { Executor, Tx } from '../../platform/db.ts';
import type { MatterSpec } from './spec.ts';

/** All SQL of the matter catalog. */

export interface VersionRow {
  id: number;
  code: string;
  version: number;
  status: 'draft' | 'published';
  name: string;
  category: string;
  levels: string[];
  spec: MatterSpec;
  sha256: string;
  updatedAt: Date;
  publishedAt: Date | null;
  publishedBy: string | null;
}

const versionColumns = [
  'v.id',
  'v.code',
  'v.version',
  'v.status',
  'v.name',
  'v.category',
  'v.levels',
  'v.spec',
  'v.sha256',
  'v.updated_at as updatedAt',
  'v.published_at as publishedAt',
  'u.username as publishedBy',
] as const;

function baseVersions(db: Executor) {
  return db.selectFrom('matter_versions as v').leftJoin('users as u', 'u.id', 'v.published_by').select(versionColumns);
}

function toRow(r: { spec: unknown } & Omit<VersionRow, 'spec'>): VersionRow {
  return { ...r, spec: r.spec as MatterSpec };
}

/** Creates the matter if new, then locks it: every change of one matter's versions serialises here. */
export async function lockMatter(tx: Tx, code: string, userId: number | null): Promise<void> {
  await tx
    .insertInto('matters')
    .values({ code, created_by: userId })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  await tx.selectFrom('matters').select('code').where('code', '=', code).forUpdate().executeTakeFirstOrThrow();
}

export async function findDraft(db: Executor, code: string): Promise<VersionRow | undefined> {
  const r = await baseVersions(db).where('v.code', '=', code).where('v.status', '=', 'draft').executeTakeFirst();
  return r ? toRow(r) : undefined;
}

export async function findLatestPublished(db: Executor, code: string): Promise<VersionRow | undefined> {
  const r = await baseVersions(db)
    .where('v.code', '=', code)
    .where('v.status', '=', 'published')
    .orderBy('v.version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? toRow(r) : undefined;
}

export async function findVersion(db: Executor, code: string, version: number): Promise<VersionRow | undefined> {
  const r = await baseVersions(db).where('v.code', '=', code).where('v.version', '=', version).executeTakeFirst();
  return r ? toRow(r) : undefined;
}

export async function maxVersion(db: Executor, code: string): Promise<number> {
  const r = await db
    .selectFrom('matter_versions')
    .select((eb) => eb.fn.max('version').as('max'))
    .where('code', '=', code)
    .executeTakeFirst();
  return Number(r?.max ?? 0);
}

export async function insertDraft(
  tx: Tx,
  input: { code: string; version: number; spec: MatterSpec; sha256: string; userId: number | null },
): Promise<void> {
  await tx
    .insertInto('matter_versions')
    .values({
      code: input.code,
      version: input.version,
      status: 'draft',
      name: input.spec.name,
      category: input.spec.category,
      levels: input.spec.levels,
      spec: JSON.stringify(input.spec),
      sha256: input.sha256,
      created_by: input.userId,
    })
    .execute();
}

export async function updateDraft(tx: Tx, id: number, spec: MatterSpec, sha256: string): Promise<void> {
  await tx
    .updateTable('matter_versions')
    .set({
      name: spec.name,
      category: spec.category,
      levels: spec.levels,
      spec: JSON.stringify(spec),
      sha256,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .execute();
}

export async function publishDraft(tx: Tx, id: number, userId: number | null, at: Date): Promise<void> {
  await tx
    .updateTable('matter_versions')
    .set({ status: 'published', published_by: userId, published_at: at, updated_at: at })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .execute();
}

export async function deleteDraft(tx: Tx, id: number): Promise<void> {
  await tx.deleteFrom('matter_versions').where('id', '=', id).where('status', '=', 'draft').execute();
}

export async function listVersionsOf(db: Executor, code: string) {
  return db
    .selectFrom('matter_versions as v')
    .leftJoin('users as u', 'u.id', 'v.published_by')
    .select([
      'v.version',
      'v.status',
      'v.name',
      'v.sha256',
      'v.updated_at as updatedAt',
      'v.published_at as publishedAt',
      'u.username as publishedBy',
    ])
    .where('v.code', '=', code)
    .orderBy('v.version', 'desc')
    .execute();
}

/** One row per matter: its newest version of each status. */
export async function listMatterHeads(db: Executor) {
  const rows = await db
    .selectFrom('matter_versions')
    .select([
      'code',
      'version',
      'status',
      'name',
      'category',
      'levels',
      'updated_at as updatedAt',
      'published_at as publishedAt',
    ])
    .orderBy('code')
    .orderBy('version', 'desc')
    .execute();
  return rows;
}

/** The newest published version of every matter (optionally filtered), for the portal. */
export async function listLatestPublished(db: Executor, filter: { category?: string; level?: string; q?: string }) {
  let query = db
    .selectFrom('matter_versions as v')
    .select(['v.code', 'v.version', 'v.name', 'v.category', 'v.levels', 'v.spec', 'v.published_at as publishedAt'])
    .where('v.status', '=', 'published')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('matter_versions as n')
            .select('n.id')
            .whereRef('n.code', '=', 'v.code')
            .where('n.status', '=', 'published')
            .whereRef('n.version', '>', 'v.version'),
        ),
      ),
    );
  if (filter.category) query = query.where('v.category', '=', filter.category);
  if (filter.level) query = query.where(sql<boolean>`${filter.level} = any(v.levels)`);
  if (filter.q)
    query = query.where((eb) =>
      eb.or([
        eb('v.name', 'ilike', `%${escapeLike(filter.q ?? '')}%`),
        eb('v.code', 'ilike', `%${escapeLike(filter.q ?? '')}%`),
      ]),
    );
  const rows = await query.orderBy('v.code').execute();
  return rows.map((r) => ({ ...r, spec: r.spec as MatterSpec }));
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function existingRuleKeys(db: Executor, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db
    .selectFrom('time_limit_rules')
    .select('key')
    .where('key', 'in', [...keys])
    .execute();
  return new Set(rows.map((r) => r.key));
}

export async function rulesByKey(db: Executor, keys: readonly string[]) {
  if (keys.length === 0) return [];
  return db
    .selectFrom('time_limit_rules')
    .selectAll()
    .where('key', 'in', [...keys])
    .execute();
}
