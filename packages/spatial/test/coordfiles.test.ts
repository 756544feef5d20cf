import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCoordinateFile, type CoordinateFileReport } from '../src/coordinate-file/report.ts';
import { parseCoordinateFile } from '../src/coordinate-file/parse.ts';
import { writeCoordinateFile } from '../src/coordinate-file/write.ts';
import { toGeoJSON } from '../src/coordinate-file/geojson.ts';
import { testdataDir } from './testdata.ts';

const dir = path.join(testdataDir, 'coordfiles');
const bytesOf = (name: string): Uint8Array => readFileSync(path.join(dir, name));
const codes = (r: CoordinateFileReport): string[] => r.warnings.map((w) => w.code);
const summary = (r: CoordinateFileReport) =>
  r.parcels.map((p) => ({
    no: p.no,
    rings: p.rings.map((x) => `${x.ringNo}:${x.role}`),
    areaM2: Math.round(p.areaM2 * 100) / 100,
    declared:
      p.declaredArea.value === null
        ? null
        : `${p.declaredArea.value} ${p.declaredArea.unit} ${p.declaredArea.matched ? 'matched' : 'mismatch'}`,
  }));

describe('real coordinate files (testdata/coordfiles)', () => {
  it('01 (GBK, CRLF, lone CR at the end): five parcels in m², holes and islands found by geometry', () => {
    const r = checkCoordinateFile(bytesOf('01_Windr07_Txt-ShpConverter_SampleData.txt'));
    expect(r.encoding).toBe('gb18030');
    expect(r.crs).toMatchObject({
      datum: 'CGCS2000',
      zoneWidth: 3,
      zone: 37,
      centralMeridian: 111,
      zonePrefix: true,
      epsg: 4525,
    });
    expect(summary(r)).toEqual([
      { no: '1', rings: ['1:outer'], areaM2: 109.43, declared: '109.43 m2 matched' },
      { no: '2', rings: ['1:outer'], areaM2: 14969.69, declared: '14969.76 m2 matched' },
      { no: '3', rings: ['1:outer', '2:hole'], areaM2: 459.72, declared: '459.73 m2 matched' },
      // 圈号 1 and 2 are separate parts touching at a point; 4 is a hole in 3; 5 and 6 are islands in that hole
      {
        no: '4',
        rings: ['1:outer', '2:outer', '3:outer', '4:hole', '5:outer', '6:outer'],
        areaM2: 989.26,
        declared: '989.25 m2 matched',
      },
      { no: '5', rings: ['1:outer', '2:outer'], areaM2: 165.19, declared: '165.2 m2 matched' },
    ]);
    expect(r.parcels.map((p) => p.rings.length)).toEqual([1, 1, 2, 6, 2]);
    expect(r.parcels[3]!.rings.map((x) => x.depth)).toEqual([0, 0, 0, 1, 2, 2]);
    // every ring closes on a renamed point (J5 back on J1)
    expect(new Set(r.parcels.flatMap((p) => p.rings.map((x) => x.closedBy)))).toEqual(new Set(['renamed']));
    expect(r.warnings).toEqual([]);
    expect(r.errors).toEqual([]);
  });

  it('02 (UTF-8, LF): missing keys, zone from the prefix, shifted header, unclosed ring, no area', () => {
    const r = checkCoordinateFile(bytesOf('02_longjie-sir_txt2shp_testfile.txt'));
    expect(r.crs).toMatchObject({ zoneWidth: 3, zone: 35, centralMeridian: 105, epsg: 4523 });
    expect(summary(r)).toEqual([{ no: '010031', rings: ['1:outer'], areaM2: 466.17, declared: null }]);
    expect(r.parcels[0]!.rings[0]).toMatchObject({ pointCount: 63, closedBy: 'added' });
    expect(codes(r)).toEqual([
      'MISSING_HEADER_KEY',
      'ZONE_INFERRED',
      'PLOT_HEADER_SHIFTED',
      'AREA_NOT_DECLARED',
      'RING_NOT_CLOSED',
    ]);
    expect(r.warnings.find((w) => w.code === 'RING_NOT_CLOSED')!.line).toBe(70);
    expect(r.warnings.find((w) => w.code === 'ZONE_INFERRED')!.line).toBe(5);
    expect(r.errors).toEqual([]);
  });

  it('03 (ArcPy export): area in hectares, placeholder header fields', () => {
    const r = checkCoordinateFile(bytesOf('03_edcfoshan_polygon-txt_44120000105.txt'));
    expect(r.crs).toMatchObject({ zone: 38, epsg: 4526 });
    expect(summary(r)).toEqual([{ no: 'FID_0', rings: ['1:outer'], areaM2: 87422.55, declared: '8.7423 ha matched' }]);
    expect(r.parcels[0]!.declaredArea.unitLabel).toBe('公顷');
    expect(r.parcels[0]!.rings[0]).toMatchObject({ pointCount: 49, closedBy: 'repeated' });
    expect(codes(r)).toEqual(['MISSING_HEADER_KEY', 'PLOT_HEADER_PLACEHOLDERS']);
    expect(r.errors).toEqual([]);
  });

  it('04 (ArcPy plot, no trailing newline): no declared area, placeholders', () => {
    const r = checkCoordinateFile(bytesOf('04_edcfoshan_polygon-txt_test_arcpy_plot_000.txt'));
    expect(summary(r)).toEqual([{ no: 'FID_0', rings: ['1:outer'], areaM2: 12247.1, declared: null }]);
    expect(r.parcels[0]!.rings[0]).toMatchObject({ pointCount: 5, closedBy: 'renamed' });
    expect(codes(r)).toEqual(['MISSING_HEADER_KEY', 'PLOT_HEADER_PLACEHOLDERS', 'AREA_NOT_DECLARED']);
    expect(r.errors).toEqual([]);
  });

  it('05 (Hangzhou, zone 40): hectares, zero-padded names, 精度 as a digit count', () => {
    const r = checkCoordinateFile(bytesOf('05_embedded_com.qw.coordinatetools_TxtUtils_txt2.txt'));
    expect(r.crs).toMatchObject({
      zone: 40,
      centralMeridian: 120,
      epsg: 4528,
      precision: 0.001,
      transformParameters: [0, 0, 0, 0, 0, 0, 0],
    });
    expect(summary(r)).toEqual([{ no: '1', rings: ['1:outer'], areaM2: 57089.5, declared: '5.7089 ha matched' }]);
    expect(r.parcels[0]!.name).toBe('彭埠单元B/R-14地块');
    expect(r.parcels[0]!.rings[0]).toMatchObject({ pointCount: 65, closedBy: 'repeated' });
    expect(codes(r)).toEqual(['PRECISION_AS_DIGITS']);
    expect(r.warnings[0]!.line).toBe(10);
    expect(r.errors).toEqual([]);
  });

  const files = [
    '01_Windr07_Txt-ShpConverter_SampleData.txt',
    '02_longjie-sir_txt2shp_testfile.txt',
    '03_edcfoshan_polygon-txt_44120000105.txt',
    '04_edcfoshan_polygon-txt_test_arcpy_plot_000.txt',
    '05_embedded_com.qw.coordinatetools_TxtUtils_txt2.txt',
  ];

  it.each(files)('%s survives parse → write → parse with the same parcels', (name) => {
    const first = parseCoordinateFile(bytesOf(name));
    const second = parseCoordinateFile(writeCoordinateFile(first));
    const shape = (f: typeof first) =>
      f.parcels.map((p) => ({
        no: p.no,
        name: p.name,
        areaM2: p.areaM2,
        declared: p.declaredArea,
        rings: p.rings.map((r) => ({
          ringNo: r.ringNo,
          role: r.role,
          coords: r.points.map((q) => [q.name, q.x, q.y]),
        })),
        geometry: p.geometry,
      }));
    expect(shape(second)).toEqual(shape(first));
    // the writer fills keys the source left empty (带号, 几度分带, 计量单位) from the resolved CRS
    expect(second.crs).toEqual({ ...first.crs, unit: first.crs.unit || '米' });
    expect(second.errors).toEqual([]);
  });

  it('keeps GeoJSON in the file plane with its EPSG code unless asked for longitude/latitude', () => {
    const parsed = parseCoordinateFile(bytesOf(files[0]!));
    const fc = toGeoJSON(parsed);
    expect(fc.crs).toEqual({ type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4525' } });
    expect(fc.features.map((f) => f.id)).toEqual(['1', '2', '3', '4', '5']);
    // parts: ring 1, ring 2, ring 3 with hole 4, island 5, island 6
    expect(fc.features[3]!.geometry.coordinates.map((p) => p.length)).toEqual([2, 1, 1, 1, 1]);
    expect(fc.features[3]!.properties.areaM2).toBeCloseTo(989.26, 2);
  });

  it.each(files)('%s converts to GeoJSON on CGCS2000 within China', (name) => {
    const fc = toGeoJSON(checkCoordinateFile(bytesOf(name)), { geographic: true });
    expect(fc.warnings).toEqual([]);
    for (const f of fc.features) {
      for (const [lon, lat] of f.geometry.coordinates.flat(2)) {
        expect(lon).toBeGreaterThan(73);
        expect(lon).toBeLessThan(136);
        expect(lat).toBeGreaterThan(18);
        expect(lat).toBeLessThan(54);
      }
    }
  });
});
