import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Actor } from '@guotu/domain';
import type { Db } from '../../platform/db.ts';
import { deployDefinition } from '../workflow/definitions-service.ts';
import { importMatters, type ImportResult } from './service.ts';

const dataDir = path.resolve(import.meta.dirname, 'data');

/** The shipped matter files (data/*.yaml, sources in data/SOURCES.md). */
export function shippedMatterFiles(): string[] {
  return readdirSync(dataDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => path.join(dataDir, f));
}

/**
 * Idempotent: deploys the shipped processes (same XML → no new version) and imports and
 * publishes the shipped matters (same content → unchanged). `deployer` is the staff user the
 * deployment is recorded under (wf_definitions.deployed_by).
 */
export async function seedMatters(
  db: Db,
  deployer: { userId: number; username: string },
): Promise<ImportResult['items']> {
  const actor: Actor = {
    ...deployer,
    roles: [],
    permissions: ['workflow.deploy'],
    orgId: 0,
    orgPath: '/',
    requestId: 'seed',
  };
  const processDir = path.join(dataDir, 'processes');
  for (const file of readdirSync(processDir)
    .filter((f) => f.endsWith('.bpmn'))
    .sort()) {
    await deployDefinition(db, actor, { xml: readFileSync(path.join(processDir, file), 'utf8') });
  }
  const items: ImportResult['items'] = [];
  for (const file of shippedMatterFiles())
    items.push(...(await importMatters(db, null, { yaml: readFileSync(file, 'utf8'), publish: true })).items);
  return items;
}
