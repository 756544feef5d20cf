import { AppError } from '@guotu/domain';
import type { Db } from '../../platform/db.ts';
import { getDefinitionDetail, listDefinitions } from '../workflow/definitions-service.ts';
import * as repo from './repository.ts';
import { processReaderActor } from './process-reader.ts';
import type { MatterSpec } from './spec.ts';

/** The portal's service guides (办事指南): newest published versions only, what `publicity` allows. */

export interface PublicLimit {
  which: 'statutory' | 'promised' | 'expedite';
  key: string;
  name: string;
  limit: number;
  extension: number | null;
  unit: 'workday' | 'day' | 'hour';
  kind: 'statutoryLimit' | 'promisedLimit';
  source: { law: string; article: string };
  notes: string | null;
}

export async function publicMatterList(db: Db, filter: { category?: string; level?: string; q?: string }) {
  const rows = await repo.listLatestPublished(db, filter);
  const limits = await resolveLimits(
    db,
    rows.map((r) => r.spec),
  );
  return {
    items: rows
      .filter((r) => r.spec.publicity.guide)
      .map((r) => ({
        code: r.code,
        version: r.version,
        name: r.name,
        category: r.category,
        levels: r.levels,
        decidingOrgan: r.spec.decidingOrgan,
        expedite: r.spec.expedite,
        statutoryLimit: limits.get(r.spec.limits.statutory) ?? null,
        promisedLimit: r.spec.limits.promised ? (limits.get(r.spec.limits.promised) ?? null) : null,
        publishedAt: r.publishedAt?.toISOString() ?? null,
      })),
  };
}

async function resolveLimits(db: Db, specs: readonly MatterSpec[]) {
  const keys = [...new Set(specs.flatMap((s) => Object.values(s.limits)))];
  const rules = await repo.rulesByKey(db, keys);
  return new Map(
    rules.map((r) => [
      r.key,
      {
        key: r.key,
        name: r.name,
        limit: r.limit_value,
        extension: r.extension,
        unit: r.unit,
        kind: r.kind,
        source: { law: r.law, article: r.article },
        notes: r.notes,
      },
    ]),
  );
}

/** One guide: the published spec, its limits with their legal sources, and the process XML when deployed. */
export async function publicMatter(db: Db, code: string) {
  const row = await repo.findLatestPublished(db, code);
  if (!row || !row.spec.publicity.guide) throw new AppError('NOT_FOUND', `no published service guide ${code}`);
  const limitMap = await resolveLimits(db, [row.spec]);
  const limits: PublicLimit[] = [];
  for (const which of ['statutory', 'promised', 'expedite'] as const) {
    const key = row.spec.limits[which];
    const rule = key ? limitMap.get(key) : undefined;
    if (rule) limits.push({ which, ...rule });
  }
  const definitions = await listDefinitions(db, processReaderActor);
  const latest = definitions.items.find((d) => d.key === row.spec.processKey);
  const process = latest ? await getDefinitionDetail(db, processReaderActor, latest.key, latest.latestVersion) : null;
  const { form, ...guide } = row.spec;
  return {
    version: row.version,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    ...guide,
    form: { schema: form.schema, layout: form.layout },
    limits,
    limitKeys: row.spec.limits,
    process: process ? { key: process.key, version: process.version, name: process.name, xml: process.xml } : null,
  };
}
