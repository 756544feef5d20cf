import { testdataDir } from '../../../../../packages/spatial/test/testdata.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';
import { DEMO_LAYER_NAMES, seedSpatialDemo } from './demo.ts';
import { dbfOf, GBK_HANDI, GBK_SHUITIAN, prjZone38, shpOf } from './shapefile-fixture.ts';
import { spatialDb } from './tables.ts';

const coordfiles = path.join(testdataDir, 'coordfiles');
const file = (name: string): Buffer => readFileSync(path.join(coordfiles, name));
const FILE01 = '01_Windr07_Txt-ShpConverter_SampleData.txt';
const FILE03 = '03_edcfoshan_polygon-txt_44120000105.txt';

/** A multipart/form-data body for app.inject. */
export function multipart(
  fields: Record<string, string>,
  files: Array<{ name: string; filename: string; data: Buffer }>,
) {
  const boundary = `----guotu${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      f.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const square = (x: number, y: number, s: number) => [
  [
    [x, y],
    [x + s, y],
    [x + s, y + s],
    [x, y + s],
    [x, y],
  ],
];

interface Analysis {
  parcel: { areaM2: number; parcels: number; crs: number };
  layers: Array<{
    name: string;
    kind: string;
    totalAreaM2: number;
    byClass: Array<{ classCode: string; areaM2: number; features: Array<{ id: string; geometry: { type: string } }> }>;
  }>;
  assessment: { approvalLevel: string; flags: Array<{ code: string }> };
}

describe.each(engines)('spatial API on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedSpatialDemo(t.ctx.database.db);
  });
  afterAll(async () => t.close());

  it('seeds the demo layers once (idempotent)', async () => {
    expect((await seedSpatialDemo(t.ctx.database.db)).created).toEqual([]);
    const s = await t.login('handler');
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/spatial/layers', headers: s.headers });
    expect(r.statusCode).toBe(200);
    const layers = r.json<Array<{ name: string; featureCount: number; areaM2: number }>>();
    const landUse = layers.find((l) => l.name === DEMO_LAYER_NAMES.landUse);
    expect(landUse).toMatchObject({ featureCount: 90, areaM2: 900_000 });
  });

  it('checks a real coordinate file sent as the raw body: five parcels, in EPSG:4490 for the map too', async () => {
    const s = await t.login('window');
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/spatial/coordinate-files/check',
      headers: { ...s.headers, 'content-type': 'application/octet-stream' },
      payload: file(FILE01),
    });
    expect(r.statusCode).toBe(200);
    const body = r.json<{
      parcels: unknown[];
      errors: unknown[];
      crs: { epsg: number };
      geographic: { features: Array<{ geometry: { coordinates: number[][][][] } }> };
    }>();
    expect(body.parcels).toHaveLength(5);
    expect(body.errors).toEqual([]);
    expect(body.crs.epsg).toBe(4525);
    const [lon, lat] = body.geographic.features[0]!.geometry.coordinates[0]![0]![0]!;
    expect(lon).toBeGreaterThan(73);
    expect(lat).toBeGreaterThan(18);
  });

  it('checks a coordinate file sent as multipart', async () => {
    const s = await t.login('window');
    const m = multipart({}, [{ name: 'file', filename: FILE03, data: file(FILE03) }]);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/spatial/coordinate-files/check',
      headers: { ...s.headers, ...m.headers },
      payload: m.payload,
    });
    expect(r.statusCode).toBe(200);
    expect(r.json<{ parcels: Array<{ areaM2: number }> }>().parcels[0]!.areaM2).toBeCloseTo(87422.55, 1);
  });

  it('takes the coordinate file as JSON base64 too (what the web app sends)', async () => {
    const s = await t.login('window');
    const payload = { coordinateFileBase64: file(FILE03).toString('base64') };
    const check = await t.app.inject({
      method: 'POST',
      url: '/api/v1/spatial/coordinate-files/check',
      headers: s.headers,
      payload,
    });
    expect(check.json<{ parcels: unknown[] }>().parcels).toHaveLength(1);
    const a = await t.app.inject({ method: 'POST', url: '/api/v1/spatial/analyse', headers: s.headers, payload });
    expect(a.statusCode).toBe(200);
    expect(a.json<Analysis>().parcel.parcels).toBe(1);
  });

  it('refuses the check, the analysis and the layer list to anonymous callers (map.read)', async () => {
    for (const [method, url] of [
      ['POST', '/api/v1/spatial/coordinate-files/check'],
      ['POST', '/api/v1/spatial/analyse'],
      ['GET', '/api/v1/spatial/layers'],
      ['GET', '/api/v1/spatial/layers/1/features?bbox=113,23,114,24'],
    ] as const) {
      const r = await t.app.inject({
        method,
        url,
        headers: { 'content-type': 'application/octet-stream' },
        ...(method === 'POST' ? { payload: file(FILE01) } : {}),
      });
      expect(r.statusCode, `${method} ${url}`).toBe(401);
    }
  });

  it('analyses file 03 against the demo layers: land use covers the whole parcel, farmland flags State Council approval', async () => {
    const s = await t.login('reviewer');
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/spatial/analyse',
      headers: { ...s.headers, 'content-type': 'application/octet-stream' },
      payload: file(FILE03),
    });
    expect(r.statusCode).toBe(200);
    const a = r.json<Analysis>();
    expect(a.parcel.areaM2).toBeCloseTo(87422.55, 1);
    const landUse = a.layers.find((l) => l.kind === 'landUse')!;
    // the synthetic grid tiles the parcel's surroundings: overlap = parcel area (to 0.01 m²)
    expect(Math.abs(landUse.totalAreaM2 - a.parcel.areaM2)).toBeLessThan(0.01);
    expect(landUse.byClass.reduce((sum, c) => sum + c.areaM2, 0)).toBeCloseTo(landUse.totalAreaM2, 6);
    expect(landUse.byClass[0]!.features[0]!.geometry.type).toBe('MultiPolygon');
    const farmland = a.layers.find((l) => l.kind === 'permanentBasicFarmland')!;
    expect(farmland.totalAreaM2).toBeGreaterThan(1000);
    expect(a.assessment.flags.map((f) => f.code)).toContain('OCCUPIES_PERMANENT_BASIC_FARMLAND');
    expect(a.assessment.approvalLevel).toBe('stateCouncil');
  });

  it('analyses a GeoJSON geometry in the layer CRS: one 100 m cell of land use, no farmland → the province approves', async () => {
    const s = await t.login('handler');
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/spatial/analyse',
      headers: s.headers,
      payload: { geometry: { type: 'Polygon', coordinates: square(38_378_200, 2_585_500, 100) }, crs: 4526 },
    });
    expect(r.statusCode).toBe(200);
    const a = r.json<Analysis>();
    expect(a.layers.find((l) => l.kind === 'landUse')!.totalAreaM2).toBeCloseTo(10_000, 6);
    expect(a.layers.find((l) => l.kind === 'permanentBasicFarmland')!.totalAreaM2).toBe(0);
    expect(a.assessment.approvalLevel).toBe('province');
  });

  it('answers GEOMETRY_INVALID for a self-intersecting parcel', async () => {
    const s = await t.login('handler');
    const bowtie = [
      [
        [0, 0],
        [10, 10],
        [10, 0],
        [0, 10],
        [0, 0],
      ],
    ];
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/spatial/analyse',
      headers: s.headers,
      payload: { geometry: { type: 'Polygon', coordinates: bowtie }, crs: 4526 },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'GEOMETRY_INVALID' });
  });

  it('refuses layer import and delete without map.manage', async () => {
    const s = await t.login('handler');
    const m = multipart({ name: 'x', kind: 'custom' }, [{ name: 'file', filename: FILE01, data: file(FILE01) }]);
    const post = await t.app.inject({
      method: 'POST',
      url: '/api/v1/spatial/layers',
      headers: { ...s.headers, ...m.headers },
      payload: m.payload,
    });
    expect(post.statusCode).toBe(403);
    const del = await t.app.inject({ method: 'DELETE', url: '/api/v1/spatial/layers/1', headers: s.headers });
    expect(del.statusCode).toBe(403);
  });

  it('imports GeoJSON, repairs a bow-tie and reports it, serves features by box, then deletes (each with an audit row)', async () => {
    const s = await t.login('admin');
    const geojson = {
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'EPSG:4526' } },
      features: [
        {
          type: 'Feature',
          properties: { DLBM: '0101', BSM: 'A' },
          geometry: { type: 'Polygon', coordinates: square(38_378_300, 2_585_600, 50) },
        },
        {
          type: 'Feature',
          properties: { DLBM: '0301', BSM: 'B' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [38_378_400, 2_585_600],
                [38_378_450, 2_585_650],
                [38_378_450, 2_585_600],
                [38_378_400, 2_585_650],
                [38_378_400, 2_585_600],
              ],
            ],
          },
        },
      ],
    };
    const m = multipart({ name: '测试红线', kind: 'ecologicalRedLine' }, [
      { name: 'file', filename: 'red.geojson', data: Buffer.from(JSON.stringify(geojson)) },
    ]);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/spatial/layers',
      headers: { ...s.headers, ...m.headers },
      payload: m.payload,
    });
    expect(r.statusCode, r.body).toBe(201);
    const report = r.json<{
      layer: { id: number; featureCount: number; crs: number };
      repaired: Array<{ index: number; featureId: string; reason: string; areaAfterM2: number }>;
      progress: Array<{ phase: string; done: number; total: number }>;
    }>();
    expect(report.layer).toMatchObject({ featureCount: 2, crs: 4526 });
    expect(report.repaired).toHaveLength(1);
    expect(report.repaired[0]).toMatchObject({ index: 1, featureId: 'B' });
    expect(report.repaired[0]!.reason).toMatch(/self-intersection/i);
    expect(report.repaired[0]!.areaAfterM2).toBeCloseTo(1250, 6);
    expect(report.progress.at(-1)).toMatchObject({ phase: 'insert', done: 2, total: 2 });

    const id = report.layer.id;
    const f = await t.app.inject({
      method: 'GET',
      url: `/api/v1/spatial/layers/${id}/features?bbox=112.5,23,113.5,24&zoom=16`,
      headers: s.headers,
    });
    expect(f.statusCode).toBe(200);
    expect(f.json<{ features: unknown[] }>().features).toHaveLength(2);
    const none = await t.app.inject({
      method: 'GET',
      url: `/api/v1/spatial/layers/${id}/features?bbox=100,30,101,31&zoom=16`,
      headers: s.headers,
    });
    expect(none.json<{ features: unknown[] }>().features).toHaveLength(0);

    // the red line now shows in the analysis; after the delete it is gone (cache invalidated)
    const parcel = { geometry: { type: 'Polygon', coordinates: square(38_378_290, 2_585_590, 200) }, crs: 4526 };
    const a1 = (
      await t.app.inject({ method: 'POST', url: '/api/v1/spatial/analyse', headers: s.headers, payload: parcel })
    ).json<Analysis>();
    expect(a1.assessment.flags.map((x) => x.code)).toContain('CROSSES_ECOLOGICAL_RED_LINE');
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/spatial/layers/${id}`, headers: s.headers });
    expect(del.statusCode).toBe(204);
    const a2 = (
      await t.app.inject({ method: 'POST', url: '/api/v1/spatial/analyse', headers: s.headers, payload: parcel })
    ).json<Analysis>();
    expect(a2.assessment.flags.map((x) => x.code)).not.toContain('CROSSES_ECOLOGICAL_RED_LINE');
    const gone = await t.app.inject({
      method: 'GET',
      url: `/api/v1/spatial/layers/${id}/features?bbox=112.5,23,113.5,24`,
      headers: s.headers,
    });
    expect(gone.statusCode).toBe(404);

    const audit = await t.ctx.database.db
      .selectFrom('audit_log')
      .select(['action'])
      .where('entity_type', '=', 'spatial_layer')
      .where('entity_id', '=', String(id))
      .execute();
    expect(audit.map((x) => x.action).sort()).toEqual(['spatial.layer_deleted', 'spatial.layer_imported']);
  });

  it('imports nothing when one feature is bad, and names it by index', async () => {
    const s = await t.login('admin');
    const before = await spatialDb(t.ctx.database.db).selectFrom('spatial_layers').select('id').execute();
    const geojson = {
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'EPSG:4526' } },
      features: [
        {
          type: 'Feature',
          properties: {},
          geometry: { type: 'Polygon', coordinates: square(38_378_300, 2_585_600, 50) },
        },
        {
          type: 'Feature',
          properties: {},
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [38_378_300, 2_585_600],
                [38_378_310, 2_585_600],
                [38_378_300, 2_585_600],
              ],
            ],
          },
        },
      ],
    };
    const m = multipart({ name: '坏图层', kind: 'custom' }, [
      { name: 'file', filename: 'bad.geojson', data: Buffer.from(JSON.stringify(geojson)) },
    ]);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/spatial/layers',
      headers: { ...s.headers, ...m.headers },
      payload: m.payload,
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'GEOMETRY_INVALID', details: [{ path: 'features[1] (id 2)' }] });
    const after = await spatialDb(t.ctx.database.db).selectFrom('spatial_layers').select('id').execute();
    expect(after).toEqual(before);
  });

  it('imports a real coordinate file as a layer (five parcels, EPSG:4525)', async () => {
    const s = await t.login('admin');
    const m = multipart({ name: '坐标文件图层', kind: 'custom' }, [
      { name: 'file', filename: FILE01, data: file(FILE01) },
    ]);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/spatial/layers',
      headers: { ...s.headers, ...m.headers },
      payload: m.payload,
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json<{ layer: { featureCount: number; crs: number; source: string } }>().layer).toMatchObject({
      featureCount: 5,
      crs: 4525,
      source: 'coordinateFile',
    });
  });

  it('imports a shapefile set with GBK attributes and its CRS from the .prj', async () => {
    const s = await t.login('admin');
    // shapefile rings are clockwise for shells
    const cw = (x: number, y: number, d: number): Array<[number, number]> => [
      [x, y],
      [x, y + d],
      [x + d, y + d],
      [x + d, y],
      [x, y],
    ];
    const files = [
      {
        name: 'file',
        filename: 'jbnt.shp',
        data: shpOf([cw(38_378_300, 2_585_600, 100), cw(38_378_500, 2_585_600, 50)]),
      },
      {
        name: 'file',
        filename: 'jbnt.dbf',
        data: dbfOf([
          { dlbm: '0101', name: GBK_SHUITIAN },
          { dlbm: '0103', name: GBK_HANDI },
        ]),
      },
      { name: 'file', filename: 'jbnt.prj', data: Buffer.from(prjZone38) },
    ];
    const m = multipart({ name: '基本农田（shp）', kind: 'permanentBasicFarmland' }, files);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/spatial/layers',
      headers: { ...s.headers, ...m.headers },
      payload: m.payload,
    });
    expect(r.statusCode, r.body).toBe(201);
    const report = r.json<{
      layer: { id: number; featureCount: number; crs: number; areaM2: number; source: string };
    }>();
    expect(report.layer).toMatchObject({ featureCount: 2, crs: 4526, source: 'shapefile' });
    expect(report.layer.areaM2).toBeCloseTo(12_500, 6);
    const f = await t.app.inject({
      method: 'GET',
      url: `/api/v1/spatial/layers/${report.layer.id}/features?bbox=112.5,23,113.5,24&zoom=18`,
      headers: s.headers,
    });
    const props = f
      .json<{ features: Array<{ properties: { classCode: string; MC: string } }> }>()
      .features.map((x) => [x.properties.classCode, x.properties.MC]);
    expect(props).toEqual([
      ['0101', '水田'],
      ['0103', '旱地'],
    ]);
  });
});
