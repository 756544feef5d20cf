/**
 * Overlay benchmark (issue 5): 1,000 parcels (every tenth a 3–12 km road corridor) against a
 * synthetic land-use layer of 1,000,000 polygons that tiles 20 km × 20 km exactly, with
 * @guotu/spatial (flatbush + GEOS WASM, in process) and with PostGIS (ST_Intersection +
 * ST_Area over a GiST index) on the same data and machine. Checks: the layer's cells add up
 * to the square's area; each parcel's overlaps add up to the parcel; both engines agree to
 * 0.01 m². PostGIS comes from Debian `postgresql-15-postgis-3` on 127.0.0.1:5432 (user
 * postgres); without it the PostGIS half is skipped and says so. The layer is loaded once
 * into the database `guotu_bench_spatial` (rebuilt when the data version changes).
 *   Run: npx tsx bench/spatial-overlay.bench.ts     (N=1000 PARCELS=1000 POSTGIS_URL=…)
 */
import { mkdirSync, writeFileSync, createWriteStream } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import v8 from 'node:v8';
import vm from 'node:vm';
import pg from 'pg';
import { createGeometryEngine, LayerIndex, overlayParcel, planarArea, type LayerFeature } from '@guotu/spatial';
import {
  buildGrid,
  buildParcels,
  CELL,
  cellRing,
  classOf,
  EPSG,
  layerFeatures,
  ringArea,
  toWkt,
  type Grid,
  type Parcel,
} from './spatial-overlay-data.ts';

const N = Number(process.env.N ?? 1000);
const PARCELS = Number(process.env.PARCELS ?? 1000);
const DATA_VERSION = `grid-${N}-v1`;
const ADMIN_URL = process.env.POSTGIS_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'guotu_bench_spatial';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, 'bench/.work');

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const mb = (b: number) => Math.round(b / 1048576);
// a real gc() for the memory figures, whether or not node was started with --expose-gc
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function checkTiling(g: Grid): { total: number; expected: number; diff: number } {
  let total = 0;
  for (let j = 0; j < g.n; j++) for (let i = 0; i < g.n; i++) total += ringArea(cellRing(g, i, j));
  const expected = (g.n * CELL) ** 2;
  return { total, expected, diff: total - expected };
}

/** Writes the layer as COPY text (EWKT) under bench/.work, once per data version. */
async function writeCopyFile(g: Grid): Promise<string> {
  mkdirSync(work, { recursive: true });
  const file = join(work, `landuse-${DATA_VERSION}.tsv`);
  const out = createWriteStream(file);
  for (let j = 0; j < g.n; j++) {
    let chunk = '';
    for (let i = 0; i < g.n; i++) {
      const r = cellRing(g, i, j);
      chunk += `${j * g.n + i}\t${classOf(i, j)}\tSRID=${EPSG};POLYGON((${r.map((p) => `${p[0]} ${p[1]}`).join(',')}))\n`;
    }
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(r));
  return file;
}

async function preparePostgis(g: Grid): Promise<pg.Client | string> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await admin.connect();
  } catch (e) {
    return `PostgreSQL not reachable at ${ADMIN_URL}: ${(e as Error).message}`;
  }
  const avail = await admin.query<{ n: string }>(
    "select count(*) as n from pg_available_extensions where name = 'postgis'",
  );
  if (avail.rows[0]?.n === '0') {
    await admin.end();
    return 'PostGIS is not installed (apt-get install -y postgresql-15-postgis-3); PostGIS half skipped';
  }
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [DB])).rowCount === 1;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB}`;
  let fresh = !exists;
  if (exists) {
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    const v = await c.query<{ v: string }>('select v from bench_meta').catch(() => ({ rows: [] as { v: string }[] }));
    await c.end();
    if (v.rows[0]?.v !== DATA_VERSION) {
      await admin.query(`drop database ${DB} with (force)`);
      fresh = true;
    }
  }
  if (fresh) await admin.query(`create database ${DB}`);
  await admin.end();
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  if (fresh) {
    const t0 = performance.now();
    await client.query('create extension postgis');
    await client.query(
      `create table landuse (id integer primary key, class text not null, geom geometry(Polygon, ${EPSG}) not null)`,
    );
    const file = await writeCopyFile(g);
    const r = spawnSync(
      'psql',
      [url.toString(), '-v', 'ON_ERROR_STOP=1', '-c', `\\copy landuse(id, class, geom) from '${file}'`],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`psql \\copy failed: ${r.stderr}`);
    await client.query('create index landuse_geom on landuse using gist (geom)');
    await client.query('analyze landuse');
    await client.query('create table bench_meta (v text)');
    await client.query('insert into bench_meta values ($1)', [DATA_VERSION]);
    console.log(
      `PostGIS: loaded ${g.n * g.n} polygons into ${DB} with a GiST index in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  } else console.log(`PostGIS: reusing ${DB} (${DATA_VERSION})`);
  return client;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const grid = buildGrid(N);
  const tiling = checkTiling(grid);
  console.log(
    `layer: ${N * N} polygons, area ${tiling.total.toFixed(3)} m² vs ${tiling.expected} m² (difference ${tiling.diff.toExponential(2)})`,
  );

  const engine = await createGeometryEngine();
  const rawParcels = buildParcels(PARCELS, 10);
  let repaired = 0;
  const parcels: Parcel[] = rawParcels.map((p) => {
    if (engine.validate(p.geometry).valid) return p;
    repaired += 1;
    return { ...p, geometry: engine.makeValid(p.geometry) };
  });

  gc();
  const before = process.memoryUsage();
  let features: LayerFeature[] | undefined = layerFeatures(grid);
  gc();
  const geojsonMB = mb(process.memoryUsage().heapUsed - before.heapUsed); // the same features as GeoJSON arrays
  const tb = performance.now();
  const index = LayerIndex.build(engine, features);
  const buildSeconds = (performance.now() - tb) / 1000;
  features = undefined;
  gc();
  const after = process.memoryUsage();
  // typed arrays live outside the JS heap: count their buffers too
  const heap = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
  const memory = {
    heapMB: mb(heap),
    rssMB: mb(after.rss - before.rss),
    perMillionPolygonsMB: mb((heap * 1e6) / (N * N)),
    asGeoJsonArraysMB: geojsonMB,
  };
  console.log(
    `index: built in ${buildSeconds.toFixed(1)} s; ${memory.heapMB} MB (heap + typed arrays), +${memory.rssMB} MB RSS → ${memory.perMillionPolygonsMB} MB per million polygons (the features as GeoJSON: ${geojsonMB} MB)`,
  );

  // warm-up (WASM, JIT), not timed
  for (const p of parcels.slice(0, 5)) overlayParcel(index, p.geometry, { minArea: 0 });
  const ours: number[] = [];
  const oursMs: number[] = [];
  let coverageWorst = 0;
  const tOurs = performance.now();
  for (const p of parcels) {
    const s = performance.now();
    const o = overlayParcel(index, p.geometry, { minArea: 0 });
    oursMs.push(performance.now() - s);
    ours.push(o.totalArea);
    coverageWorst = Math.max(coverageWorst, Math.abs(o.totalArea - planarArea(p.geometry)));
  }
  const oursTotal = (performance.now() - tOurs) / 1000;
  const summary = (ms: number[], total: number) => ({
    p50Ms: pct(ms, 50),
    p99Ms: pct(ms, 99),
    meanMs: ms.reduce((a, b) => a + b, 0) / ms.length,
    totalSeconds: total,
  });
  const guotu = {
    ...summary(oursMs, oursTotal),
    indexBuildSeconds: buildSeconds,
    memory,
    worstCoverageErrorM2: coverageWorst,
  };
  console.log(
    `@guotu/spatial: p50 ${guotu.p50Ms.toFixed(2)} ms, p99 ${guotu.p99Ms.toFixed(2)} ms, total ${oursTotal.toFixed(2)} s; overlaps vs parcel area: worst ${coverageWorst.toExponential(2)} m²`,
  );

  const client = await preparePostgis(grid);
  let postgis: Record<string, unknown> | { skipped: string };
  let agreement: { worstDifferenceM2: number; parcelsWithin001M2: number; parcels: number } | null = null;
  if (typeof client === 'string') {
    console.log(`PostGIS: ${client}`);
    postgis = { skipped: client };
  } else {
    const version =
      (await client.query<{ v: string }>('select postgis_full_version() as v')).rows[0]?.v
        .split(' ')
        .slice(0, 2)
        .join(' ') ?? '';
    const q = `select coalesce(sum(st_area(st_intersection(l.geom, p.g))), 0) as a
                 from landuse l, (select st_geomfromtext($1, ${EPSG}) as g) p
                where l.geom && p.g and st_intersects(l.geom, p.g)`;
    const wkts = parcels.map((p) => toWkt(p.geometry));
    for (const w of wkts.slice(0, 5)) await client.query({ name: 'ov', text: q, values: [w] });
    const pgAreas: number[] = [];
    const pgMs: number[] = [];
    const tPg = performance.now();
    for (const w of wkts) {
      const s = performance.now();
      const r = await client.query<{ a: number }>({ name: 'ov', text: q, values: [w] });
      pgMs.push(performance.now() - s);
      pgAreas.push(Number(r.rows[0]?.a ?? 0));
    }
    const pgTotal = (performance.now() - tPg) / 1000;
    await client.end();
    postgis = { version, ...summary(pgMs, pgTotal) };
    const diffs = ours.map((a, k) => Math.abs(a - (pgAreas[k] ?? NaN)));
    agreement = {
      worstDifferenceM2: Math.max(...diffs),
      parcelsWithin001M2: diffs.filter((d) => d <= 0.01).length,
      parcels: diffs.length,
    };
    const pgSummary = summary(pgMs, pgTotal);
    console.log(
      `PostGIS ${version}: p50 ${pgSummary.p50Ms.toFixed(2)} ms, p99 ${pgSummary.p99Ms.toFixed(2)} ms, total ${pgTotal.toFixed(2)} s`,
    );
    console.log(
      `same areas: ${agreement.parcelsWithin001M2}/${agreement.parcels} parcels within 0.01 m² (worst ${agreement.worstDifferenceM2.toExponential(2)} m²)`,
    );
    console.log(
      `ratio PostGIS / @guotu/spatial: p50 ${(pgSummary.p50Ms / guotu.p50Ms).toFixed(2)}×, p99 ${(pgSummary.p99Ms / guotu.p99Ms).toFixed(2)}×, total ${(pgTotal / oursTotal).toFixed(2)}×`,
    );
  }

  const result = {
    benchmark: 'spatial-overlay',
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    layer: {
      polygons: N * N,
      cellM: CELL,
      crs: `EPSG:${EPSG}`,
      tilingAreaM2: tiling.total,
      expectedAreaM2: tiling.expected,
      tilingDifferenceM2: tiling.diff,
    },
    parcels: {
      count: parcels.length,
      corridors: parcels.filter((p) => p.kind === 'corridor').length,
      madeValid: repaired,
    },
    guotu,
    postgis,
    agreement,
    ratio:
      'p50Ms' in postgis
        ? {
            p50: (postgis.p50Ms as number) / guotu.p50Ms,
            p99: (postgis.p99Ms as number) / guotu.p99Ms,
            total: (postgis.totalSeconds as number) / guotu.totalSeconds,
          }
        : null,
    note: 'PostGIS timed per query over a local socket (one round trip each, prepared statement); ours in process. minArea 0 on our side so slivers count as in PostGIS.',
    wallSeconds: (performance.now() - t0) / 1000,
  };
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/spatial-overlay.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`written bench/results/spatial-overlay.json (${result.wallSeconds.toFixed(0)} s)`);
}

await main();
