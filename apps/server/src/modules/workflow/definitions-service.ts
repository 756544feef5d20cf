import { createHash } from 'node:crypto';
import { AppError, type Actor } from '@guotu/domain';
import { parseDefinition } from '@guotu/engine';
import { inTransaction, type Db } from '../../platform/db.ts';
import { appendAudit } from '../audit/repository.ts';
import { rememberDefinition } from './host.ts';
import { assertPermission } from './policy.ts';
import * as repo from './repository.ts';
import { serviceHandlerNames } from './service-handlers.ts';
import type { DefinitionDetail, DefinitionKeyList, DeployDefinitionResponse } from '@guotu/contracts';

/** Deploy and read process definitions: immutable versions per key. */

const KEY = /^[A-Za-z_][\w.-]{0,63}$/;

export async function deployDefinition(
  db: Db,
  actor: Actor,
  input: { xml: string; key?: string },
): Promise<DeployDefinitionResponse> {
  assertPermission(actor, 'workflow.deploy');
  // Parse once without a version to learn the key, then compile for real inside the lock.
  const probe = parseDefinition(input.xml, {
    ...(input.key ? { key: input.key } : {}),
    version: 1,
    handlers: serviceHandlerNames(),
  });
  const key = probe.definition.key;
  if (!KEY.test(key))
    throw new AppError('VALIDATION_FAILED', `definition key "${key}" must be a letter then letters, digits, _ . -`, [
      { path: 'body.key', message: 'bad key' },
    ]);
  const sha256 = createHash('sha256').update(input.xml).digest('hex');
  return inTransaction(db, async (tx) => {
    await repo.lockDefinitionKey(tx, key);
    const latest = await repo.latestDefinitionVersion(tx, key);
    if (latest && latest.sha256 === sha256) {
      const existing = await repo.findDefinition(tx, key, latest.version);
      if (existing) return { ...present(existing, existing.deployedByName), deployed: false, warnings: [] };
    }
    const version = (latest?.version ?? 0) + 1;
    const { definition, warnings } = parseDefinition(input.xml, { key, version, handlers: serviceHandlerNames() });
    const name = Object.values(definition.processes).find((p) => p.id === definition.mainProcess)?.name ?? null;
    await repo.insertDefinition(tx, {
      key,
      version,
      name,
      xml: input.xml,
      compiled: definition,
      sha256,
      deployedBy: actor.userId,
    });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      requestId: actor.requestId,
      action: 'workflow.definition_deployed',
      entityType: 'workflow_definition',
      entityId: `${key}@${version}`,
      after: { key, version, sha256, warnings: warnings.length },
    });
    rememberDefinition(definition);
    return {
      key,
      version,
      name,
      sha256,
      deployedAt: new Date().toISOString(),
      deployedBy: actor.username,
      deployed: true,
      warnings: warnings.map((w) => ({ path: w.path, message: w.message })),
    };
  });
}

function present(row: repo.DefinitionRow, deployedBy: string | null) {
  return {
    key: row.key,
    version: row.version,
    name: row.name,
    sha256: row.sha256,
    deployedAt: row.deployedAt.toISOString(),
    deployedBy,
  };
}

export async function listDefinitions(db: Db, actor: Actor): Promise<DefinitionKeyList> {
  assertPermission(actor, 'workflow.read');
  const rows = await repo.listDefinitionVersions(db);
  const byKey = new Map<string, DefinitionKeyList['items'][number]>();
  for (const r of rows) {
    const summary = {
      key: r.key,
      version: r.version,
      name: r.name,
      sha256: r.sha256,
      deployedAt: r.deployedAt.toISOString(),
      deployedBy: r.deployedBy,
    };
    const item = byKey.get(r.key);
    if (item) item.versions.push(summary);
    else byKey.set(r.key, { key: r.key, name: r.name, latestVersion: r.version, versions: [summary] });
  }
  return { items: [...byKey.values()] };
}

export async function getDefinitionDetail(
  db: Db,
  actor: Actor,
  key: string,
  version: number,
): Promise<DefinitionDetail> {
  assertPermission(actor, 'workflow.read');
  const row = await repo.findDefinition(db, key, version);
  if (!row) throw new AppError('NOT_FOUND', `process definition ${key} v${version} not found`);
  return { ...present(row, row.deployedByName), xml: row.xml };
}
