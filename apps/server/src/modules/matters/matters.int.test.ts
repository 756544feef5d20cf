import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';
import { shippedMatterFiles } from './seed.ts';

type Headers = Record<string, string>;

const landYaml = readFileSync(path.join(import.meta.dirname, 'data/land-conversion.yaml'), 'utf8');

describe.each(engines)('matter catalog on %s', (engine) => {
  let t: TestApp;
  let admin: Headers;
  let handler: Headers;
  beforeAll(async () => {
    t = await createTestApp(engine);
    admin = (await t.login('admin')).headers;
    handler = (await t.login('handler')).headers;
  }, 120_000);
  afterAll(async () => t.close());

  const call = async <T = unknown>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    headers: Headers = {},
    payload?: object,
  ) => {
    const response = await t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    const type = String(response.headers['content-type'] ?? '');
    const body: unknown = type.includes('json') ? JSON.parse(response.body) : response.body;
    return { status: response.statusCode, body: body as T, text: response.body };
  };

  it('publishes every shipped matter as a service guide anyone can read', async () => {
    const list = await call<{ items: Array<{ code: string; name: string; promisedLimit: { limit: number } | null }> }>(
      'GET',
      '/api/v1/public/matters',
    );
    expect(list.status).toBe(200);
    const names = list.body.items.map((i) => i.name);
    expect(names).toEqual(
      expect.arrayContaining([
        '农用地转用和土地征收审批',
        '建设项目用地预审与选址意见书',
        '探矿权新立登记',
        '探矿权延续登记',
        '采矿权新立登记',
        '采矿权延续登记',
        '采矿权变更登记',
      ]),
    );
    const shipped = shippedMatterFiles().flatMap((f) => {
      const data = parse(readFileSync(f, 'utf8')) as { matters?: unknown[] };
      return data.matters ?? [data];
    });
    expect(list.body.items).toHaveLength(shipped.length);
    expect(list.body.items.find((i) => i.code === 'land-conversion-expropriation')?.promisedLimit?.limit).toBe(15);
  });

  it('filters guides by category, level and text', async () => {
    const county = await call<{ items: Array<{ code: string }> }>('GET', '/api/v1/public/matters?level=county');
    expect(county.body.items.map((i) => i.code)).toEqual(['land-prereview-siting']);
    const mining = await call<{ items: Array<{ code: string }> }>(
      'GET',
      `/api/v1/public/matters?q=${encodeURIComponent('采矿权')}`,
    );
    expect(mining.body.items.map((i) => i.code).sort()).toEqual([
      'mining-licence-change',
      'mining-licence-new',
      'mining-licence-renewal',
    ]);
    expect((await call('GET', '/api/v1/public/matters?category=行政确认')).body).toEqual({ items: [] });
  });

  it('shows one guide with the coordinate file, the limits and their legal source, and the process XML', async () => {
    const guide = await call<{
      materials: Array<{ key: string; required: boolean; formats: string[] }>;
      limits: Array<{ which: string; limit: number; unit: string; source: { law: string } }>;
      process: { xml: string } | null;
      submissionPath: string[];
    }>('GET', '/api/v1/public/matters/land-conversion-expropriation');
    expect(guide.status).toBe(200);
    expect(guide.body.materials.find((m) => m.key === 'boundaryCoordinates')).toMatchObject({
      required: true,
      formats: ['coordinates'],
    });
    expect(guide.body.limits.map((l) => [l.which, l.limit, l.unit])).toEqual([
      ['statutory', 20, 'workday'],
      ['promised', 15, 'workday'],
      ['expedite', 7, 'workday'],
    ]);
    expect(guide.body.limits[0]?.source.law).toBe('中华人民共和国行政许可法');
    expect(guide.body.submissionPath).toEqual(['county', 'city', 'province']);
    expect(guide.body.process?.xml).toContain('bpmndi:BPMNDiagram');
    expect((await call('GET', '/api/v1/public/matters/no-such-matter')).status).toBe(404);
  });

  it('exports YAML that imports back unchanged (round trip)', async () => {
    const exported = await call('GET', '/api/v1/matters/export', admin);
    expect(exported.status).toBe(200);
    const again = await call<{ items: Array<{ action: string }> }>('POST', '/api/v1/matters/import', admin, {
      yaml: exported.text,
      publish: true,
    });
    expect(again.status).toBe(200);
    expect(again.body.items.every((i) => i.action === 'unchanged')).toBe(true);
    expect(parse(exported.text)).toMatchObject({
      matters: expect.arrayContaining([expect.objectContaining({ code: 'land-conversion-expropriation' })]),
    });
  });

  it('publishing v2 leaves v1 intact; the database refuses to change a published version', async () => {
    const changed = landYaml.replace('name: 农用地转用和土地征收审批', 'name: 农用地转用和土地征收审批（第二版）');
    const imported = await call<{ items: Array<{ version: number; status: string; action: string }> }>(
      'POST',
      '/api/v1/matters/import',
      admin,
      { yaml: changed },
    );
    expect(imported.body.items[0]).toMatchObject({ version: 2, status: 'draft', action: 'created' });
    // the portal still shows v1 while v2 is a draft
    expect(
      (await call<{ name: string; version: number }>('GET', '/api/v1/public/matters/land-conversion-expropriation'))
        .body,
    ).toMatchObject({ version: 1, name: '农用地转用和土地征收审批' });
    const published = await call<{ versions: Array<{ version: number; status: string }> }>(
      'POST',
      '/api/v1/matters/land-conversion-expropriation/publish',
      admin,
    );
    expect(published.status).toBe(200);
    expect(published.body.versions.map((v) => [v.version, v.status])).toEqual([
      [2, 'published'],
      [1, 'published'],
    ]);
    expect(
      (await call<{ version: number }>('GET', '/api/v1/public/matters/land-conversion-expropriation')).body.version,
    ).toBe(2);
    const v1 = await call<{ spec: { name: string } }>(
      'GET',
      '/api/v1/matters/land-conversion-expropriation/versions/1',
      handler,
    );
    expect(v1.body.spec.name).toBe('农用地转用和土地征收审批');
    await expect(
      t.ctx.database.db
        .updateTable('matter_versions')
        .set({ name: 'x' })
        .where('code', '=', 'land-conversion-expropriation')
        .where('version', '=', 1)
        .execute(),
    ).rejects.toThrow(/immutable/);
    expect((await call('POST', '/api/v1/matters/land-conversion-expropriation/publish', admin)).status).toBe(409);
  });

  it('refuses bad YAML with the line number and changes nothing', async () => {
    const before = await call<{ items: unknown[] }>('GET', '/api/v1/matters', admin);
    const broken = landYaml
      .replace('    formats: [coordinates]\n', '    formats: [coordinates, exe]\n')
      .replace('  promised: promised.constructionLand', '  promised: promised.noSuchRule');
    const refused = await call<{ code: string; details: Array<{ line?: number; path?: string; message: string }> }>(
      'POST',
      '/api/v1/matters/import',
      admin,
      { yaml: broken.replace('code: land-conversion-expropriation', 'code: land-new-one') },
    );
    expect(refused.status).toBe(400);
    const formatLine = broken.split('\n').findIndex((l) => l.includes('[coordinates, exe]')) + 1;
    expect(refused.body.details).toEqual([
      expect.objectContaining({ path: 'materials.6.formats.1', line: formatLine }),
    ]);
    const syntax = await call<{ details: Array<{ line?: number }> }>('POST', '/api/v1/matters/import', admin, {
      yaml: 'code: x1\nname: [unclosed\n',
    });
    expect(syntax.status).toBe(400);
    expect(syntax.body.details[0]?.line).toBeGreaterThanOrEqual(2);
    const unknownRule = await call<{ details: Array<{ path?: string }> }>('POST', '/api/v1/matters/import', admin, {
      yaml: landYaml
        .replace('code: land-conversion-expropriation', 'code: land-new-one')
        .replace('  promised: promised.constructionLand', '  promised: promised.noSuchRule'),
    });
    expect(unknownRule.status).toBe(400);
    expect(unknownRule.body.details).toEqual([expect.objectContaining({ path: 'limits.promised' })]);
    expect((await call<{ items: unknown[] }>('GET', '/api/v1/matters', admin)).body.items).toHaveLength(
      before.body.items.length,
    );
  });

  it('edits a draft through the API and refuses a code mismatch', async () => {
    const current = await call<{ published: { spec: Record<string, unknown> } }>(
      'GET',
      '/api/v1/matters/mining-licence-change',
      admin,
    );
    const spec = { ...current.body.published.spec, conditions: ['采矿许可证在有效期内'] };
    const saved = await call<{ draft: { version: number; spec: { conditions: string[] } } }>(
      'PUT',
      '/api/v1/matters/mining-licence-change/draft',
      admin,
      { spec },
    );
    expect(saved.status).toBe(200);
    expect(saved.body.draft).toMatchObject({ version: 2, spec: { conditions: ['采矿许可证在有效期内'] } });
    expect((await call('PUT', '/api/v1/matters/mining-licence-new/draft', admin, { spec })).status).toBe(400);
    expect((await call('DELETE', '/api/v1/matters/mining-licence-change/draft', admin)).status).toBe(204);
  });

  it('refuses editing without workflow.deploy and without a session', async () => {
    expect((await call('POST', '/api/v1/matters/import', handler, { yaml: landYaml })).status).toBe(403);
    expect((await call('GET', '/api/v1/matters/export', handler)).status).toBe(403);
    expect(
      (await call('PUT', '/api/v1/matters/land-conversion-expropriation/draft', handler, { spec: {} })).status,
    ).toBe(403);
    expect((await call('POST', '/api/v1/matters/land-conversion-expropriation/publish', handler)).status).toBe(403);
    expect((await call('DELETE', '/api/v1/matters/land-conversion-expropriation/draft', handler)).status).toBe(403);
    expect((await call('GET', '/api/v1/matters')).status).toBe(401);
    expect((await call('GET', '/api/v1/matters', handler)).status).toBe(200);
  });
});
