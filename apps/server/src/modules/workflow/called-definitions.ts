import type { Executor } from '../../platform/db.ts';

/**
 * Call-activity binding `deployment` (guotu:versionBinding="deployment"): the called process in
 * the newest version deployed at or before the calling definition version was deployed — what was
 * live when the caller was deployed, so a later deployment of the called process does not change
 * running or new instances of an older caller. undefined when none was deployed by then.
 */
export async function versionDeployedBy(
  db: Executor,
  calledKey: string,
  caller: { key: string; version: number },
): Promise<number | undefined> {
  const row = await db
    .selectFrom('wf_definitions as d')
    .select('d.version')
    .where('d.key', '=', calledKey)
    .where('d.deployed_at', '<=', (eb) =>
      eb
        .selectFrom('wf_definitions as c')
        .select('c.deployed_at')
        .where('c.key', '=', caller.key)
        .where('c.version', '=', caller.version),
    )
    .orderBy('d.version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.version;
}
