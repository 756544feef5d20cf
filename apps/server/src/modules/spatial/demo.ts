import type { Position } from '@guotu/spatial';
import type { Db } from '../../platform/db.ts';
import { importLayer } from './layers-service.ts';
import { findLayerByName } from './repository.ts';
import type { SourceFeature } from './sources.ts';

/**
 * Synthetic demo layers around parcel 1 of testdata/coordfiles/03 (佛山, CGCS2000 3° zone 38 with
 * the zone prefix, EPSG:4526; envelope ≈ 38 378 464–38 378 794 E, 2 585 771–2 586 184 N).
 * Made up for the map page: not real survey data.
 */
export const DEMO_CRS = 4526;
const X0 = 38_378_200;
const Y0 = 2_585_500;
const CELL = 100; // m
const COLS = 9;
const ROWS = 10;

// GB/T 21010-2017 classes seen in a peri-urban Foshan landscape
const classes = ['0101', '0102', '0103', '0201', '0301', '0702', '1003', '1101', '0601', '0101'];

const rect = (x: number, y: number, w: number, h: number): Position[][][] => [
  [
    [
      [x, y],
      [x + w, y],
      [x + w, y + h],
      [x, y + h],
      [x, y],
    ],
  ],
];

function landUseFeatures(): SourceFeature[] {
  const out: SourceFeature[] = [];
  for (let j = 0; j < ROWS; j++) {
    for (let i = 0; i < COLS; i++) {
      const code = classes[(i * 7 + j * 3) % classes.length] ?? '0101';
      out.push({
        featureId: `DL-${j}-${i}`,
        classCode: code,
        attributes: { DLBM: code, TBBH: `${j * COLS + i + 1}` },
        geometry: { type: 'MultiPolygon', coordinates: rect(X0 + i * CELL, Y0 + j * CELL, CELL, CELL) },
      });
    }
  }
  return out;
}

function farmlandFeatures(): SourceFeature[] {
  return [
    {
      featureId: 'JBNT-1',
      classCode: '0101',
      attributes: { DLBM: '0101', name: '北片永久基本农田' },
      geometry: { type: 'MultiPolygon', coordinates: rect(X0 + 250, Y0 + 550, 300, 250) },
    },
    {
      featureId: 'JBNT-2',
      classCode: '0103',
      attributes: { DLBM: '0103', name: '南片永久基本农田' },
      geometry: { type: 'MultiPolygon', coordinates: rect(X0 + 520, Y0 + 150, 250, 200) },
    },
  ];
}

export const DEMO_LAYER_NAMES = {
  landUse: '演示·现状地类（三调，合成数据）',
  farmland: '演示·永久基本农田（合成数据）',
} as const;

/**
 * Seeds the two demo layers if they are not there (idempotent: by name). Called by the demo
 * seed; runs as the system (no actor), each layer in its own transaction with its audit row.
 */
export async function seedSpatialDemo(db: Db): Promise<{ created: string[] }> {
  const created: string[] = [];
  const layers = [
    { name: DEMO_LAYER_NAMES.landUse, kind: 'landUse' as const, features: landUseFeatures() },
    { name: DEMO_LAYER_NAMES.farmland, kind: 'permanentBasicFarmland' as const, features: farmlandFeatures() },
  ];
  for (const l of layers) {
    if (await findLayerByName(db, l.name)) continue;
    await importLayer(db, null, {
      name: l.name,
      kind: l.kind,
      source: 'demo',
      sourceName: null,
      layer: { crs: DEMO_CRS, features: l.features, warnings: [] },
    });
    created.push(l.name);
  }
  return { created };
}
