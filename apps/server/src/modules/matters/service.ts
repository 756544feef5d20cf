import { createHash } from 'node:crypto';
import { AppError, canonicalJson, hasPermission, type Actor, type AppErrorDetail } from '@guotu/domain';
import { inTransaction, type Db, type Executor, type Tx } from '../../platform/db.ts';
import { appendAudit } from '../audit/repository.ts';
import { listDefinitions } from '../workflow/definitions-service.ts';
import { processReaderActor } from './process-reader.ts';
import * as repo from './repository.ts';
import { validateMatterSpec, type MatterSpec } from './spec.ts';
import { parseMattersYaml, stringifyMattersYaml } from './yaml.ts';

/**
 * The matter catalog: import/export as YAML, drafts, immutable published versions, the portal's
 * service guides. Editing needs `workflow.deploy` for now (docs/matters.md: a dedicated
 * permission is planned); reading the admin view needs any staff session.
 */

export const MATTER_EDIT_PERMISSION = 'workflow.deploy' as const;

function assertCanEdit(actor: Actor): void {
  if (!hasPermission(actor, MATTER_EDIT_PERMISSION))
    throw new AppError('FORBIDDEN', `editing matters requires permission ${MATTER_EDIT_PERMISSION}`);
}

export function specHash(spec: MatterSpec): string {
  return createHash('sha256').update(canonicalJson(spec)).digest('hex');
}

/** Rule keys must exist in time_limit_rules; every unknown one is listed. */
async function checkRuleKeys(
  db: Executor,
  specs: ReadonlyArray<{ spec: MatterSpec; base: string }>,
): Promise<AppErrorDetail[]> {
  const wanted = specs.flatMap(({ spec }) => Object.values(spec.limits));
  const known = await repo.existingRuleKeys(db, [...new Set(wanted)]);
  const problems: AppErrorDetail[] = [];
  for (const { spec, base } of specs) {
    for (const [which, key] of Object.entries(spec.limits)) {
      if (!known.has(key))
        problems.push({
          path: `${base}limits.${which}`,
          message: `"${key}" is not a key of the time-limit rule table (see GET /api/v1/time-limit-rules)`,
        });
    }
  }
  return problems;
}

export type ImportAction = 'created' | 'updated' | 'unchanged';
export interface ImportResult {
  items: Array<{ code: string; name: string; version: number; status: 'draft' | 'published'; action: ImportAction }>;
}

/**
 * Imports a YAML file: each matter becomes (or replaces) its draft; `publish` publishes them at
 * once. The same content as the newest version changes nothing. One transaction for the file:
 * a bad file (syntax, content, unknown rule key — all listed with line numbers) changes nothing.
 */
export async function importMatters(
  db: Db,
  actor: Actor | null,
  input: { yaml: string; publish?: boolean },
): Promise<ImportResult> {
  if (actor) assertCanEdit(actor);
  const specs = parseMattersYaml(input.yaml);
  const ruleProblems = await checkRuleKeys(
    db,
    specs.map((spec, i) => ({
      spec,
      base: specs.length > 1 || /^matters\s*:/m.test(input.yaml) ? `matters.${i}.` : '',
    })),
  );
  if (ruleProblems.length > 0)
    throw new AppError('VALIDATION_FAILED', `unknown time-limit rule key(s); nothing was imported`, ruleProblems);
  if (input.publish) await assertProcessesDeployed(db, specs);
  return inTransaction(db, async (tx) => {
    const items: ImportResult['items'] = [];
    for (const spec of specs) items.push(await upsertDraft(tx, actor, spec, input.publish ?? false));
    return { items };
  });
}

async function upsertDraft(
  tx: Tx,
  actor: Actor | null,
  spec: MatterSpec,
  publish: boolean,
): Promise<ImportResult['items'][number]> {
  const userId = actor?.userId ?? null;
  await repo.lockMatter(tx, spec.code, userId);
  const sha256 = specHash(spec);
  const draft = await repo.findDraft(tx, spec.code);
  const published = await repo.findLatestPublished(tx, spec.code);
  if (!draft && published?.sha256 === sha256)
    return { code: spec.code, name: spec.name, version: published.version, status: 'published', action: 'unchanged' };
  let action: ImportAction;
  let version: number;
  if (draft) {
    version = draft.version;
    action = draft.sha256 === sha256 ? 'unchanged' : 'updated';
    if (action === 'updated') await repo.updateDraft(tx, draft.id, spec, sha256);
  } else {
    version = (await repo.maxVersion(tx, spec.code)) + 1;
    action = 'created';
    await repo.insertDraft(tx, { code: spec.code, version, spec, sha256, userId });
  }
  if (action !== 'unchanged')
    await audit(tx, actor, 'matter.draft_saved', `${spec.code}@${version}`, { sha256, name: spec.name });
  if (!publish) return { code: spec.code, name: spec.name, version, status: 'draft', action };
  const row = await repo.findDraft(tx, spec.code);
  if (!row) throw new AppError('INTERNAL', `draft of ${spec.code} vanished inside its transaction`);
  await repo.publishDraft(tx, row.id, userId, new Date());
  await audit(tx, actor, 'matter.published', `${spec.code}@${version}`, { sha256 });
  return { code: spec.code, name: spec.name, version, status: 'published', action };
}

async function audit(tx: Tx, actor: Actor | null, action: string, entityId: string, after: unknown): Promise<void> {
  await appendAudit(tx, {
    actorId: actor?.userId ?? null,
    actorName: actor?.username ?? 'system',
    requestId: actor?.requestId ?? null,
    action,
    entityType: 'matter',
    entityId,
    after,
  });
}

/** Saves the draft of one matter from the admin editor (creates the draft when there is none). */
export async function saveDraft(db: Db, actor: Actor, code: string, input: unknown) {
  assertCanEdit(actor);
  const result = validateMatterSpec(input, 'body.spec');
  if (!result.spec)
    throw new AppError('VALIDATION_FAILED', `the matter has ${result.problems.length} problem(s)`, result.problems);
  const spec = result.spec;
  if (spec.code !== code)
    throw new AppError('VALIDATION_FAILED', 'the code in the body differs from the code in the path', [
      { path: 'body.spec.code', message: `must be ${code}` },
    ]);
  const problems = await checkRuleKeys(db, [{ spec, base: 'body.spec.' }]);
  if (problems.length > 0) throw new AppError('VALIDATION_FAILED', 'unknown time-limit rule key(s)', problems);
  await inTransaction(db, (tx) => upsertDraft(tx, actor, spec, false));
  return getMatterAdmin(db, actor, code);
}

/** Publishes the draft as an immutable version; its process must be deployed. */
export async function publishMatter(db: Db, actor: Actor, code: string) {
  assertCanEdit(actor);
  const seen = await repo.findDraft(db, code);
  if (!seen) throw new AppError('INVALID_STATE', `matter ${code} has no draft to publish`);
  await assertProcessesDeployed(db, [seen.spec]);
  await inTransaction(db, async (tx) => {
    await repo.lockMatter(tx, code, actor.userId);
    const draft = await repo.findDraft(tx, code);
    if (!draft || draft.sha256 !== seen.sha256)
      throw new AppError('CONFLICT', `the draft of ${code} changed while publishing; look at it again`);
    await repo.publishDraft(tx, draft.id, actor.userId, new Date());
    await audit(tx, actor, 'matter.published', `${code}@${draft.version}`, { sha256: draft.sha256 });
  });
  return getMatterAdmin(db, actor, code);
}

/** Throws away the draft (published versions are untouched). */
export async function discardDraft(db: Db, actor: Actor, code: string): Promise<void> {
  assertCanEdit(actor);
  await inTransaction(db, async (tx) => {
    const draft = await repo.findDraft(tx, code);
    if (!draft) throw new AppError('NOT_FOUND', `matter ${code} has no draft`);
    await repo.deleteDraft(tx, draft.id);
    await audit(tx, actor, 'matter.draft_discarded', `${code}@${draft.version}`, null);
  });
}

async function assertProcessesDeployed(db: Db, specs: readonly MatterSpec[]): Promise<void> {
  const keys = new Set((await listDefinitions(db, processReaderActor)).items.map((i) => i.key));
  const problems = specs
    .filter((s) => !keys.has(s.processKey))
    .map((s) => ({
      path: `${s.code}.processKey`,
      message: `process "${s.processKey}" is not deployed; deploy its BPMN first (POST /api/v1/workflow/definitions)`,
    }));
  if (problems.length > 0)
    throw new AppError('INVALID_STATE', 'a matter is published only with a deployed process', problems);
}

export async function listMattersAdmin(db: Db, actor: Actor) {
  const rows = await repo.listMatterHeads(db);
  const byCode = new Map<
    string,
    {
      code: string;
      name: string;
      category: string;
      levels: string[];
      publishedVersion: number | null;
      publishedAt: string | null;
      draftVersion: number | null;
      draftUpdatedAt: string | null;
    }
  >();
  for (const r of rows) {
    const item = byCode.get(r.code) ?? {
      code: r.code,
      name: r.name,
      category: r.category,
      levels: r.levels,
      publishedVersion: null,
      publishedAt: null,
      draftVersion: null,
      draftUpdatedAt: null,
    };
    if (r.status === 'draft') {
      item.draftVersion = r.version;
      item.draftUpdatedAt = r.updatedAt.toISOString();
    } else if (item.publishedVersion === null) {
      item.publishedVersion = r.version;
      item.publishedAt = r.publishedAt?.toISOString() ?? null;
      if (item.draftVersion === null) Object.assign(item, { name: r.name, category: r.category, levels: r.levels });
    }
    byCode.set(r.code, item);
  }
  return { items: [...byCode.values()], canEdit: hasPermission(actor, MATTER_EDIT_PERMISSION) };
}

export async function getMatterAdmin(db: Db, actor: Actor, code: string) {
  const versions = await repo.listVersionsOf(db, code);
  if (versions.length === 0) throw new AppError('NOT_FOUND', `no matter ${code}`);
  const draft = await repo.findDraft(db, code);
  const published = await repo.findLatestPublished(db, code);
  return {
    code,
    versions: versions.map((v) => ({
      version: v.version,
      status: v.status,
      name: v.name,
      sha256: v.sha256,
      updatedAt: v.updatedAt.toISOString(),
      publishedAt: v.publishedAt?.toISOString() ?? null,
      publishedBy: v.publishedBy,
    })),
    draft: draft ? { version: draft.version, spec: draft.spec } : null,
    published: published ? { version: published.version, spec: published.spec } : null,
    canEdit: hasPermission(actor, MATTER_EDIT_PERMISSION),
  };
}

/** One version as stored — what a case submitted under (code, version) refers to. */
export async function getMatterVersion(
  db: Executor,
  code: string,
  version: number,
): Promise<{ code: string; version: number; status: 'draft' | 'published'; spec: MatterSpec; sha256: string }> {
  const row = await repo.findVersion(db, code, version);
  if (!row) throw new AppError('NOT_FOUND', `no version ${version} of matter ${code}`);
  return { code, version, status: row.status, spec: row.spec, sha256: row.sha256 };
}

/** The version new applications use: the newest published one. */
export async function getCurrentMatterVersion(db: Executor, code: string) {
  const row = await repo.findLatestPublished(db, code);
  if (!row) throw new AppError('NOT_FOUND', `no published matter ${code}`);
  return { code, version: row.version, spec: row.spec, sha256: row.sha256 };
}

export async function exportMatters(
  db: Db,
  actor: Actor | null,
  options: { codes?: string[]; draft?: boolean } = {},
): Promise<string> {
  if (actor) assertCanEdit(actor);
  const codes =
    options.codes && options.codes.length > 0
      ? options.codes
      : [...new Set((await repo.listMatterHeads(db)).map((r) => r.code))];
  const specs: MatterSpec[] = [];
  for (const code of codes) {
    const row =
      (options.draft ? await repo.findDraft(db, code) : undefined) ?? (await repo.findLatestPublished(db, code));
    if (!row)
      throw new AppError(
        'NOT_FOUND',
        `no ${options.draft ? 'draft or published version' : 'published version'} of matter ${code}`,
      );
    specs.push(row.spec);
  }
  return stringifyMattersYaml(
    specs,
    `Guotu matter catalog (事项), exported ${new Date().toISOString()}\nImport with: guotu matters import FILE  (or POST /api/v1/matters/import)`,
  );
}
