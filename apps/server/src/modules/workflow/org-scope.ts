import type { Actor } from '@guotu/domain';
import type { Executor } from '../../platform/db.ts';
import type { PolicyActor } from './policy.ts';
import * as repo from './repository.ts';

// The kind of an org unit never changes once created, so a process-wide cache is safe.
const kinds = new Map<number, string>();

/**
 * The caller's bureau (厅/局): their unit if it is not an office (处室/科室), else the nearest
 * ancestor that is not. Cases belong to bureaus; a bureau's offices work on them.
 */
export async function bureauOf(
  db: Executor,
  actor: Pick<Actor, 'orgId' | 'orgPath'>,
): Promise<{ id: number; path: string }> {
  const ids = actor.orgPath.split('/').filter(Boolean).map(Number);
  const missing = ids.filter((id) => !kinds.has(id));
  for (const org of await repo.listOrgsByIds(db, missing)) kinds.set(org.id, org.kind);
  for (let i = ids.length - 1; i >= 0; i--) {
    const id = ids[i] ?? 0;
    if (kinds.get(id) !== 'office') return { id, path: `/${ids.slice(0, i + 1).join('/')}/` };
  }
  return { id: actor.orgId, path: actor.orgPath };
}

export async function policyActor(db: Executor, actor: Actor): Promise<PolicyActor> {
  return { ...actor, bureauPath: (await bureauOf(db, actor)).path };
}
