import { describe, expect, it } from 'vitest';
import { checkCoordinateFile } from './report.ts';
import { parseCoordinateFile } from './parse.ts';
import { writeCoordinateFile } from './write.ts';
import { toGeoJSON } from './geojson.ts';

const enc = new TextEncoder();
const file = (lines: string[], eol = '\r\n'): Uint8Array => enc.encode(lines.join(eol));

const attrs = (extra: string[] = ['几度分带=3', '带号=38']): string[] => [
  '[属性描述]',
  '格式版本号=1.0',
  '数据产生单位=测试',
  '数据产生日期=2026-1-1',
  '坐标系=2000国家大地坐标系',
  '投影类型=高斯克吕格',
  '计量单位=米',
  '精度=0.001',
  '转换参数=,,,,,,',
  ...extra,
];

/** A 100 m square (1 ha) at X 3 000 000, Y 38 500 000 as point rows of ring `ring`. */
const square = (ring = 1, x0 = 3000000, y0 = 38500000, size = 100): string[] => [
  `J1,${ring},${x0},${y0}`,
  `J2,${ring},${x0 + size},${y0}`,
  `J3,${ring},${x0 + size},${y0 + size}`,
  `J4,${ring},${x0},${y0 + size}`,
  `J1,${ring},${x0},${y0}`,
];

const codes = (issues: { code: string }[]): string[] => issues.map((i) => i.code);

describe('coordinate file variants', () => {
  it('reads 【】 sections, full-width commas, a [项目信息] section and a longer plot header', () => {
    const r = parseCoordinateFile(
      file([
        '【项目信息】',
        '项目名称＝某某村土地整治',
        ...attrs(),
        '【地块坐标】',
        '5，1.0000，7，一号地块，面，H49G001001，建设用地，0702，乡镇，村，@',
        ...square().map((l) => l.replace(/,/g, '，')),
      ]),
    );
    expect(r.errors).toEqual([]);
    expect(r.project).toEqual({ 项目名称: '某某村土地整治' });
    const [p] = r.parcels;
    expect(p).toMatchObject({
      no: '7',
      name: '一号地块',
      mapSheet: 'H49G001001',
      landUse: '建设用地',
      landClassCode: '0702',
      extraFields: ['乡镇', '村'],
      areaM2: 10000,
    });
    expect(p!.declaredArea).toMatchObject({ unit: 'ha', unitLabel: '公顷', matched: true });
  });

  it('reads six-column point rows (序号,点号,圈号,X,Y,…)', () => {
    const rows = square().map((l, i) => `${i + 1},${l},备注`);
    const r = parseCoordinateFile(file([...attrs(), '[地块坐标]', '5,10000,1,,面,,,,@', ...rows]));
    expect(r.errors).toEqual([]);
    expect(r.parcels[0]!.areaM2).toBe(10000);
    expect(r.parcels[0]!.declaredArea).toMatchObject({ unit: 'm2', unitLabel: '平方米', matched: true });
    expect(r.parcels[0]!.points[0]).toMatchObject({ name: 'J1', ringNo: 1, extra: ['备注'] });
  });

  it('reads three-column rows (点号,X,Y) as one ring', () => {
    const rows = square().map((l) => l.replace(',1,', ','));
    const r = checkCoordinateFile(file([...attrs(), '[地块坐标]', '5,1,1,,面,,,,@', ...rows]));
    expect(r.errors).toEqual([]);
    expect(r.parcels[0]!.areaM2).toBe(10000);
  });

  it('gives a report that survives JSON unchanged', () => {
    const r = checkCoordinateFile(
      file([...attrs(), '[地块坐标]', '5,1,1,,面,,,,@', ...square(), 'J9,1,1e400,38500000']),
    );
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(r.errors.map((e) => e.code)).toEqual(['NON_NUMERIC_COORDINATE']);
  });

  it('swaps X and Y back when the easting is in the X column, and says so', () => {
    const rows = square().map((l) => {
      const [n, ring, x, y] = l.split(',');
      return [n, ring, y, x].join(',');
    });
    const r = checkCoordinateFile(file([...attrs(), '[地块坐标]', '5,1,1,,面,,,,@', ...rows]));
    expect(r.crs.xySwapped).toBe(true);
    expect(r.warnings.find((w) => w.code === 'XY_SWAPPED')?.line).toBe(14);
    expect(r.parcels[0]!.areaM2).toBe(10000);
    expect(r.crs.zone).toBe(38);
  });

  it('infers zone and 6° width from the easting prefix when the header lacks them', () => {
    const r = checkCoordinateFile(
      file([...attrs([]), '[地块坐标]', '5,1,1,,面,,,,@', ...square(1, 4000000, 20500000)]),
    );
    expect(r.crs).toMatchObject({ zone: 20, zoneWidth: 6, centralMeridian: 117, zonePrefix: true, epsg: 4498 });
    expect(codes(r.warnings)).toEqual(expect.arrayContaining(['ZONE_INFERRED', 'ZONE_WIDTH_INFERRED']));
  });

  it('uses the header zone with the unprefixed CRS when eastings carry no prefix', () => {
    const r = checkCoordinateFile(file([...attrs(), '[地块坐标]', '5,1,1,,面,,,,@', ...square(1, 3000000, 500000)]));
    expect(r.crs).toMatchObject({ zone: 38, zonePrefix: false, epsg: 4547, centralMeridian: 114 });
    expect(r.warnings).toEqual([]);
  });

  it('warns when the header zone disagrees with the prefix, and trusts the prefix', () => {
    const r = checkCoordinateFile(
      file([...attrs(['几度分带=3', '带号=39']), '[地块坐标]', '5,1,1,,面,,,,@', ...square()]),
    );
    expect(r.crs.zone).toBe(38);
    expect(r.warnings.find((w) => w.code === 'ZONE_MISMATCH')?.line).toBe(11);
  });

  it('reads a 带号 that is really a central meridian', () => {
    const r = checkCoordinateFile(
      file([...attrs(['几度分带=3', '带号=114']), '[地块坐标]', '5,1,1,,面,,,,@', ...square(1, 3000000, 500000)]),
    );
    expect(r.crs).toMatchObject({ zone: 38, centralMeridian: 114, zonePrefix: false, epsg: 4547 });
    expect(r.warnings.map((w) => w.code)).toEqual(['ZONE_MISMATCH']);
  });

  it('decodes a UTF-8 BOM and lone-CR line endings', () => {
    const body = file([...attrs(), '[地块坐标]', '5,1,1,,面,,,,@', ...square()], '\r');
    const r = checkCoordinateFile(new Uint8Array([0xef, 0xbb, 0xbf, ...body]));
    expect(r.encoding).toBe('utf-8');
    expect(r.errors).toEqual([]);
    expect(r.parcels[0]!.areaM2).toBe(10000);
  });

  it('reports bytes that are neither UTF-8 nor GB18030 with their line, without throwing', () => {
    const bad = new Uint8Array([...file(['[属性描述]', '坐标系=2000', '']), 0xff, 0xff, 0x0a]);
    const r = checkCoordinateFile(bad);
    expect(r.errors).toEqual([
      { line: 3, code: 'UNREADABLE_ENCODING', message: expect.stringContaining('line 3') as string },
    ]);
    expect(r.parcels).toEqual([]);
  });

  it('is an error to have no [地块坐标] section', () => {
    const r = checkCoordinateFile(file(attrs()));
    expect(codes(r.errors)).toEqual(['MISSING_SECTION']);
  });

  it('leaves out a non-numeric coordinate and names its line', () => {
    const rows = square();
    rows.splice(2, 0, 'J9,1,3000050,38500O50');
    const r = checkCoordinateFile(file([...attrs(), '[地块坐标]', '6,1,1,,面,,,,@', ...rows]));
    expect(r.errors).toEqual([
      { line: 16, code: 'NON_NUMERIC_COORDINATE', message: expect.stringContaining('38500O50') as string },
    ]);
    expect(r.parcels[0]!.areaM2).toBe(10000);
  });

  it('rejects a ring with fewer than three points', () => {
    const r = checkCoordinateFile(
      file([...attrs(), '[地块坐标]', '7,1,1,,面,,,,@', ...square(), 'J1,2,3000010,38500010', 'J2,2,3000020,38500020']),
    );
    expect(r.errors).toEqual([
      { line: 19, code: 'TOO_FEW_POINTS', message: expect.stringContaining('ring 2') as string },
    ]);
    expect(r.parcels[0]!.rings).toHaveLength(1);
  });

  it('finds a self-intersection and says where', () => {
    const bowTie = [
      'J1,1,3000000,38500000',
      'J2,1,3000100,38500100',
      'J3,1,3000100,38500000',
      'J4,1,3000000,38500100',
      'J1,1,3000000,38500000',
    ];
    const r = checkCoordinateFile(file([...attrs(), '[地块坐标]', '5,,1,,面,,,,@', ...bowTie]));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ line: 14, code: 'SELF_INTERSECTION' });
    expect(r.errors[0]!.message).toContain('X=3000050.000, Y=38500050.000');
    expect(r.errors[0]!.message).toContain('J1–J2');
  });

  it('warns when the declared area fits neither m² nor hectares', () => {
    const r = checkCoordinateFile(file([...attrs(), '[地块坐标]', '5,1.2,1,,面,,,,@', ...square()]));
    expect(r.parcels[0]!.declaredArea).toMatchObject({ value: 1.2, unit: 'ha', matched: false, differenceM2: 2000 });
    expect(r.warnings).toEqual([
      { line: 13, code: 'AREA_MISMATCH', message: expect.stringContaining('公顷') as string },
    ]);
  });

  it('builds holes by containment even when the hole is listed first', () => {
    const r = checkCoordinateFile(
      file([...attrs(), '[地块坐标]', '10,0.96,1,,面,,,,@', ...square(2, 3000040, 38500040, 20), ...square(1)]),
    );
    expect(r.parcels[0]!.rings.map((x) => `${x.ringNo}:${x.role}`)).toEqual(['2:hole', '1:outer']);
    expect(r.parcels[0]!.areaM2).toBe(9600);
    expect(r.parcels[0]!.declaredArea.matched).toBe(true);
  });

  it('splits two closed loops that share one 圈号 into two rings', () => {
    const r = checkCoordinateFile(
      file([...attrs(), '[地块坐标]', '10,2,1,,面,,,,@', ...square(1), ...square(1, 3000000, 38500200)]),
    );
    expect(r.parcels[0]!.rings.map((x) => `${x.ringNo}:${x.role}`)).toEqual(['1:outer', '1:outer']);
    expect(r.parcels[0]!.areaM2).toBe(20000);
  });

  it('warns when parcels of one file overlap, not when they only share a boundary', () => {
    const two = (secondY: number, size = 100) =>
      checkCoordinateFile(
        file([
          ...attrs(),
          '[地块坐标]',
          '5,1,1,,面,,,,@',
          ...square(),
          `5,,2,,面,,,,@`,
          ...square(1, 3000000, secondY, size),
        ]),
      );
    expect(two(38500100).warnings.map((w) => w.code)).toEqual(['AREA_NOT_DECLARED']);
    const overlapping = two(38500050);
    expect(overlapping.warnings.find((w) => w.code === 'PARCELS_OVERLAP')).toMatchObject({
      line: 19,
      message: 'parcel 2 (line 19) overlaps parcel 1 (line 13)',
    });
    const nested = checkCoordinateFile(
      file([
        ...attrs(),
        '[地块坐标]',
        '5,1,1,,面,,,,@',
        ...square(),
        '5,,2,,面,,,,@',
        ...square(1, 3000010, 38500010, 10),
      ]),
    );
    expect(nested.warnings.map((w) => w.code)).toContain('PARCELS_OVERLAP');
    const duplicate = checkCoordinateFile(
      file([...attrs(), '[地块坐标]', '5,1,1,,面,,,,@', ...square(), '5,1,2,,面,,,,@', ...square()]),
    );
    expect(duplicate.warnings.map((w) => w.code)).toEqual(['PARCELS_OVERLAP']);
  });

  it('warns that a Xian 1980 file has no datum shift to CGCS2000', () => {
    const lines = attrs().map((l) => (l.startsWith('坐标系=') ? '坐标系=1980西安坐标系' : l));
    const r = checkCoordinateFile(file([...lines, '[地块坐标]', '5,1,1,,面,,,,@', ...square()]));
    expect(r.crs).toMatchObject({ datum: 'Xian1980', epsg: 2362 });
    expect(codes(r.warnings)).toEqual(['DATUM_SHIFT_MISSING']);
  });

  it('uses the 转换参数 written in the file for GeoJSON when no shift is configured, and warns when there is none', () => {
    const lines = (shift: string) =>
      attrs().map((l) =>
        l.startsWith('坐标系=') ? '坐标系=1980西安坐标系' : l.startsWith('转换参数=') ? `转换参数=${shift}` : l,
      );
    const withShift = checkCoordinateFile(
      file([...lines('-100,-50,80,0,0,0,0'), '[地块坐标]', '5,1,1,,面,,,,@', ...square()]),
    );
    expect(withShift.warnings).toEqual([]);
    expect(toGeoJSON(withShift, { geographic: true }).warnings).toEqual([]);
    const without = checkCoordinateFile(file([...lines(',,,,,,'), '[地块坐标]', '5,1,1,,面,,,,@', ...square()]));
    expect(toGeoJSON(without, { geographic: true }).warnings.map((w) => w.code)).toEqual(['DATUM_SHIFT_MISSING']);
  });

  it('reads the mining-right layout: [登记项目], XYnnn= points, 标高 lines closing blocks', () => {
    const r = checkCoordinateFile(
      file([
        '[登记项目]',
        '***采矿权项目内容***',
        '',
        '项目名称=某某铁矿',
        '许可证号=C4200002010001',
        '坐标系=2000国家大地坐标系',
        '带号=38',
        '矿区范围拐点坐标总数应小于1000个',
        '矿区范围拐点坐标与标高的总行数=  9',
        'XY001=1,3000000.00,38500000.00',
        'XY002=2,3000100.00,38500000.00',
        'XY003=3,3000100.00,38500100.00',
        'XY004=4,3000000.00,38500100.00',
        'XY005=标高,1200,800,,1',
        'XY006=1,3000200,38500000',
        'XY007=2,3000300,38500000',
        'XY008=3,3000300,38500050',
        'XY009=*,+1000,+600,,2',
      ]),
    );
    expect(r.layout).toBe('miningRight');
    expect(r.errors).toEqual([]);
    // blocks list each corner once and declare no area: only the missing 几度分带 is worth a word
    expect(r.warnings.map((w) => w.code)).toEqual(['ZONE_WIDTH_INFERRED']);
    expect(r.parcels).toHaveLength(1);
    expect(r.parcels[0]).toMatchObject({ no: 'C4200002010001', name: '某某铁矿', areaM2: 12500 });
    expect(r.parcels[0]!.rings.map((x) => [x.pointCount, x.elevation])).toEqual([
      [4, { top: 1200, bottom: 800 }],
      [3, { top: 1000, bottom: 600 }],
    ]);
  });

  it('checks the mining layout row total', () => {
    const r = checkCoordinateFile(
      file([
        '[登记项目]',
        '带号=38',
        '矿区范围拐点坐标与标高的总行数=5',
        'XY001=1,3000000,38500000',
        'XY002=2,3000100,38500000',
        'XY003=3,3000100,38500100',
        'XY004=标高,10,0,,1',
      ]),
    );
    expect(r.warnings.find((w) => w.code === 'POINT_COUNT_MISMATCH')).toMatchObject({ line: 3 });
  });

  it('writes files that read back to the same parcels, swapped input included', () => {
    const rows = square().map((l) => {
      const [n, ring, x, y] = l.split(',');
      return [n, ring, y, x].join(',');
    });
    const first = parseCoordinateFile(file([...attrs(), '[地块坐标]', '5,1,1,一号,面,,,,@', ...rows]));
    const text = writeCoordinateFile(first);
    expect(text).toContain('J1,1,3000000.000,38500000.000\r\n');
    const second = parseCoordinateFile(text);
    expect(second.parcels.map((p) => [p.no, p.name, p.areaM2, p.geometry])).toEqual(
      first.parcels.map((p) => [p.no, p.name, p.areaM2, p.geometry]),
    );
    expect(second.crs.xySwapped).toBe(false);
  });
});

describe('robustness', () => {
  const fragments = [
    '[属性描述]',
    '[地块坐标]',
    '[登记项目]',
    '带号=38',
    '几度分带=6',
    '坐标系=西安80',
    '5,1,1,,面,,,,@',
    '@',
    ',,,,',
    'J1,1,3000000,38500000',
    'J2,1,3000100,38500000',
    'J3,1,3000100,38500100',
    'J1,x,3000000,38500000',
    'XY001=3000000,38500000',
    '*,1,2',
    'J9,1,1e400,-',
    '【地块坐标】',
    '1，2，3',
  ];

  it('never throws on any mix of lines, bytes or line endings', async () => {
    const fc = await import('fast-check');
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string()), { maxLength: 40 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        (lines, eol) => {
          const r = checkCoordinateFile(new TextEncoder().encode(lines.join(eol)));
          expect(r.errors.filter((e) => e.code === 'UNEXPECTED')).toEqual([]);
          for (const i of [...r.errors, ...r.warnings]) expect(i.line).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(checkCoordinateFile(bytes).errors.filter((e) => e.code === 'UNEXPECTED')).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
