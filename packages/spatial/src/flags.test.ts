import { describe, expect, it } from 'vitest';
import { assessParcel } from './flags.ts';
import type { ParcelOverlay } from './layer-index.ts';

const HA = 10_000;
const overlay = (...classes: [string, number, string?][]): ParcelOverlay => ({
  totalArea: classes.reduce((s, [, a]) => s + a, 0),
  byClass: classes.map(([classCode, area, id]) => ({
    classCode,
    area,
    features: [{ id: id ?? classCode, area, geometry: { type: 'MultiPolygon', coordinates: [] } }],
  })),
});

describe('parcel flags (土地管理法 §46 approval level and layer conflicts)', () => {
  it('leaves a small parcel on construction land to the province', () => {
    const a = assessParcel({ landUse: overlay(['0702', 2 * HA]) });
    expect(a).toEqual({ flags: [], approvalLevel: 'province', farmlandM2: 0, otherLandM2: 2 * HA });
  });

  it('sends any permanent basic farmland to the State Council', () => {
    const a = assessParcel({
      permanentBasicFarmland: overlay(['PBF', 10, 'pbf-7']),
      landUse: overlay(['0101', 10], ['0702', HA]),
    });
    expect(a.flags).toEqual([{ code: 'OCCUPIES_PERMANENT_BASIC_FARMLAND', areaM2: 10, featureIds: ['pbf-7'] }]);
    expect(a.approvalLevel).toBe('stateCouncil');
    expect(a.farmlandM2).toBe(0);
  });

  it('counts cultivated land (01xx) outside permanent basic farmland against 35 ha', () => {
    expect(assessParcel({ landUse: overlay(['0101', 20 * HA], ['0103', 15 * HA]) }).approvalLevel).toBe('province');
    const over = assessParcel({ landUse: overlay(['0101', 20 * HA], ['0103', 15 * HA + 1]) });
    expect(over.flags.map((f) => f.code)).toEqual(['FARMLAND_OVER_35_HA']);
    expect(over.approvalLevel).toBe('stateCouncil');
  });

  it('counts other land against 70 ha, from the parcel area when no land-use layer is given', () => {
    expect(assessParcel({}, { parcelAreaM2: 70 * HA }).approvalLevel).toBe('province');
    const over = assessParcel({}, { parcelAreaM2: 70 * HA + 1 });
    expect(over.flags.map((f) => f.code)).toEqual(['OTHER_LAND_OVER_70_HA']);
  });

  it('does not count permanent basic farmland as other land, with or without a land-use layer', () => {
    const noLandUse = assessParcel({ permanentBasicFarmland: overlay(['PBF', 40 * HA]) }, { parcelAreaM2: 100 * HA });
    expect(noLandUse.otherLandM2).toBe(60 * HA);
    expect(noLandUse.flags.map((f) => f.code)).toEqual(['OCCUPIES_PERMANENT_BASIC_FARMLAND']);
    // farmland mapped on an orchard class (0201) in the land-use layer
    const onOrchard = assessParcel({
      permanentBasicFarmland: overlay(['PBF', 40 * HA]),
      landUse: overlay(['0201', 75 * HA], ['0702', 25 * HA]),
    });
    expect([onOrchard.farmlandM2, onOrchard.otherLandM2]).toEqual([0, 60 * HA]);
    expect(onOrchard.flags.map((f) => f.code)).toEqual(['OCCUPIES_PERMANENT_BASIC_FARMLAND']);
  });

  it('flags mining rights, geohazard zones and the ecological red line without changing the approval level', () => {
    const a = assessParcel({
      landUse: overlay(['0702', HA]),
      miningRight: overlay(['C', 300, 'C4200002010001']),
      geohazardZone: overlay(['high', 50, 'zone-3']),
      ecologicalRedLine: overlay(['red', 1, 'eco-1']),
    });
    expect(a.flags.map((f) => [f.code, f.featureIds])).toEqual([
      ['OVERLAPS_MINING_RIGHT', ['C4200002010001']],
      ['IN_GEOHAZARD_ZONE', ['zone-3']],
      ['CROSSES_ECOLOGICAL_RED_LINE', ['eco-1']],
    ]);
    expect(a.approvalLevel).toBe('province');
  });

  it('ignores sliver overlaps below the threshold', () => {
    expect(assessParcel({ ecologicalRedLine: overlay(['red', 0.001]) }).flags).toEqual([]);
  });
});
