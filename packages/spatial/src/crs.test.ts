import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import { crsFromEpsg, epsgOf, gaussKruger, toProj4, zoneWidthOfZone, type Crs } from './crs.ts';
import { cgcs2000Geographic, createTransformer, ellipsoidalArea, measureArea } from './transform.ts';
import type { Position } from './geometry.ts';

// Definitions as published for these codes (epsg.io / PROJ), written from the registry.
// Beijing 1954's published +towgs84 is left out on purpose: shifts come from configuration.
const published: Record<number, string> = {
  4527: '+proj=tmerc +lat_0=0 +lon_0=117 +k=1 +x_0=39500000 +y_0=0 +ellps=GRS80 +units=m +no_defs',
  4546: '+proj=tmerc +lat_0=0 +lon_0=111 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs',
  4491: '+proj=tmerc +lat_0=0 +lon_0=75 +k=1 +x_0=13500000 +y_0=0 +ellps=GRS80 +units=m +no_defs',
  4502: '+proj=tmerc +lat_0=0 +lon_0=75 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs',
  4554: '+proj=tmerc +lat_0=0 +lon_0=135 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs',
  2327: '+proj=tmerc +lat_0=0 +lon_0=75 +k=1 +x_0=13500000 +y_0=0 +a=6378140 +b=6356755.288157528 +units=m +no_defs',
  2349: '+proj=tmerc +lat_0=0 +lon_0=75 +k=1 +x_0=25500000 +y_0=0 +a=6378140 +b=6356755.288157528 +units=m +no_defs',
  2383: '+proj=tmerc +lat_0=0 +lon_0=114 +k=1 +x_0=500000 +y_0=0 +a=6378140 +b=6356755.288157528 +units=m +no_defs',
  2390: '+proj=tmerc +lat_0=0 +lon_0=135 +k=1 +x_0=500000 +y_0=0 +a=6378140 +b=6356755.288157528 +units=m +no_defs',
  2401: '+proj=tmerc +lat_0=0 +lon_0=75 +k=1 +x_0=25500000 +y_0=0 +ellps=krass +units=m +no_defs',
  2436: '+proj=tmerc +lat_0=0 +lon_0=117 +k=1 +x_0=500000 +y_0=0 +ellps=krass +units=m +no_defs',
  21413: '+proj=tmerc +lat_0=0 +lon_0=75 +k=1 +x_0=13500000 +y_0=0 +ellps=krass +units=m +no_defs',
  21460: '+proj=tmerc +lat_0=0 +lon_0=117 +k=1 +x_0=500000 +y_0=0 +ellps=krass +units=m +no_defs',
};

describe('CRS generated from parameters', () => {
  it('gives EPSG:4527 exactly the published CGCS2000 3° zone 39 definition', () => {
    expect(toProj4(crsFromEpsg(4527)!)).toBe(published[4527]);
  });

  it.each(Object.keys(published).map(Number))(
    'EPSG:%i projects like its published definition (within 1 mm)',
    (code) => {
      const crs = crsFromEpsg(code)!;
      expect(crs.kind).toBe('gaussKruger');
      const ours = proj4('+proj=longlat +ellps=GRS80 +no_defs', toProj4(crs));
      const theirs = proj4('+proj=longlat +ellps=GRS80 +no_defs', published[code]!);
      const cm = crs.kind === 'gaussKruger' ? crs.centralMeridian : 0;
      for (const lonLat of [
        [cm + 1.2, 30.5],
        [cm - 0.7, 45.1],
        [cm, 22],
      ] as Position[]) {
        const [x1, y1] = ours.forward(lonLat);
        const [x2, y2] = theirs.forward(lonLat);
        expect(Math.hypot(x1 - x2, y1 - y2)).toBeLessThan(0.001);
      }
    },
  );

  it('numbers every zone of every datum, width and prefix choice', () => {
    const codes = new Set<number>();
    for (const datum of ['CGCS2000', 'Xian1980', 'Beijing1954'] as const) {
      for (const zone of [...Array(11).keys()].map((i) => i + 13)) {
        codes.add(epsgOf(datum, 6, zone, true)!);
        codes.add(epsgOf(datum, 6, zone, false)!);
      }
      for (const zone of [...Array(21).keys()].map((i) => i + 25)) {
        codes.add(epsgOf(datum, 3, zone, true)!);
        codes.add(epsgOf(datum, 3, zone, false)!);
      }
    }
    expect(codes.size).toBe(3 * (22 + 42));
    for (const code of codes) {
      const crs = crsFromEpsg(code);
      expect(crs?.kind === 'gaussKruger' && crs.epsg).toBe(code);
    }
    expect(epsgOf('CGCS2000', 3, 24, true)).toBeUndefined();
  });

  it('tells 6° zones (13–23) from 3° zones (24–45) by number', () => {
    expect(zoneWidthOfZone(20)).toBe(6);
    expect(zoneWidthOfZone(38)).toBe(3);
    expect(zoneWidthOfZone(50)).toBeUndefined();
  });
});

describe('transforms', () => {
  const zone38: Crs = gaussKruger({ datum: 'CGCS2000', zoneWidth: 3, zone: 38, zonePrefix: true });

  it('round-trips projected → geographic → projected within 1 mm', () => {
    const t = createTransformer(zone38, cgcs2000Geographic);
    for (const p of [
      [38512345.67, 2585776.157],
      [38378508.034, 3353189.181],
      [38620000, 4000000],
    ] as Position[]) {
      const back = t.inverse(t.forward(p));
      expect(Math.hypot(back[0] - p[0], back[1] - p[1])).toBeLessThan(0.001);
    }
    expect(t.warnings).toEqual([]);
  });

  it('puts the zone-38 central meridian at 114°E', () => {
    const [lon] = createTransformer(zone38, cgcs2000Geographic).forward([38500000, 3000000]);
    expect(lon).toBeCloseTo(114, 9);
  });

  it('warns instead of silently applying a zero shift for Xian 1980 without parameters', () => {
    const xian = gaussKruger({ datum: 'Xian1980', zoneWidth: 3, zone: 38, zonePrefix: true });
    const t = createTransformer(xian, cgcs2000Geographic);
    expect(t.warnings.map((w) => w.code)).toEqual(['DATUM_SHIFT_MISSING']);
    const configured = createTransformer(xian, cgcs2000Geographic, {
      datumShifts: { Xian1980: [-100, -50, 80, 0, 0, 0, 0] },
    });
    expect(configured.warnings).toEqual([]);
    const p: Position = [38500000, 3000000];
    const [a, b] = [t.forward(p), configured.forward(p)];
    expect(Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1])).toBeGreaterThan(1e-4);
  });

  it('computes the ellipsoidal area of a geographic parcel like the projected one', () => {
    const t = createTransformer(zone38, cgcs2000Geographic);
    // a 100 m square on the central meridian, where the Gauss–Krüger scale is 1
    const square: Position[] = [
      [38500000, 3000000],
      [38500100, 3000000],
      [38500100, 3000100],
      [38500000, 3000100],
      [38500000, 3000000],
    ];
    const area = ellipsoidalArea({ type: 'Polygon', coordinates: [square.map((p) => t.forward(p))] });
    expect(area).toBeCloseTo(10000, 1);
    expect(measureArea({ type: 'Polygon', coordinates: [square] }, zone38)).toBe(10000);
    expect(
      measureArea({ type: 'Polygon', coordinates: [square.map((p) => t.forward(p))] }, cgcs2000Geographic),
    ).toBeCloseTo(10000, 1);
  });
});
