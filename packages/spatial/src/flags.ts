import type { ParcelOverlay } from './layer-index.ts';

/** The reference layers a parcel is checked against (per-layer-kind overlay results). */
export interface LayerOverlays {
  /** 永久基本农田 */
  permanentBasicFarmland?: ParcelOverlay;
  /** current land use (三调/变更调查), classes are GB/T 21010 地类编码 */
  landUse?: ParcelOverlay;
  /** 矿业权 (exploration rights and mining licences) */
  miningRight?: ParcelOverlay;
  /** 地质灾害易发区 / 危险区 */
  geohazardZone?: ParcelOverlay;
  /** 生态保护红线 */
  ecologicalRedLine?: ParcelOverlay;
}

export type ParcelFlagCode =
  | 'OCCUPIES_PERMANENT_BASIC_FARMLAND'
  | 'FARMLAND_OVER_35_HA'
  | 'OTHER_LAND_OVER_70_HA'
  | 'OVERLAPS_MINING_RIGHT'
  | 'IN_GEOHAZARD_ZONE'
  | 'CROSSES_ECOLOGICAL_RED_LINE';

export interface ParcelFlag {
  code: ParcelFlagCode;
  /** m² of the parcel concerned */
  areaM2: number;
  /** ids of the layer features involved (mining rights, hazard zones…) */
  featureIds: string[];
}

export type ApprovalLevel = 'stateCouncil' | 'province';

export interface ParcelAssessment {
  flags: ParcelFlag[];
  /** who approves expropriation of this parcel (土地管理法 §46) */
  approvalLevel: ApprovalLevel;
  /** m² of 耕地 outside permanent basic farmland, and of all other land (neither of the two) */
  farmlandM2: number;
  otherLandM2: number;
}

export interface AssessOptions {
  /** parcel area, used for "other land" when no land-use overlay is given */
  parcelAreaM2?: number;
  /** overlaps smaller than this are ignored as slivers; default 0.01 m² */
  minAreaM2?: number;
}

// 土地管理法 (2019) §46: expropriation of permanent basic farmland, of other cultivated land
// over 35 ha, or of other land over 70 ha is approved by the State Council; any other
// expropriation by the province (省、自治区、直辖市人民政府).
const FARMLAND_LIMIT_M2 = 35 * 10_000;
const OTHER_LAND_LIMIT_M2 = 70 * 10_000;

/** GB/T 21010-2017: 01 耕地 (0101 水田, 0102 水浇地, 0103 旱地). */
const isCultivated = (classCode: string): boolean => /^01/.test(classCode);

const featureIds = (o: ParcelOverlay): string[] => o.byClass.flatMap((c) => c.features.map((f) => f.id));

function layerFlag(code: ParcelFlagCode, o: ParcelOverlay | undefined, min: number): ParcelFlag[] {
  return o && o.totalArea >= min ? [{ code, areaM2: o.totalArea, featureIds: featureIds(o) }] : [];
}

/**
 * Flags from a parcel's overlay results, as a pure function. Cultivated land counts only
 * outside permanent basic farmland (which is flagged on its own); areas are in m².
 */
export function assessParcel(layers: LayerOverlays, opts: AssessOptions = {}): ParcelAssessment {
  const min = opts.minAreaM2 ?? 0.01;
  const pbf = layers.permanentBasicFarmland?.totalArea ?? 0;
  const cultivated = (layers.landUse?.byClass ?? [])
    .filter((c) => isCultivated(c.classCode))
    .reduce((s, c) => s + c.area, 0);
  const farmlandM2 = Math.max(0, cultivated - pbf);
  const total = layers.landUse?.totalArea ?? opts.parcelAreaM2 ?? 0;
  // §46 其他土地 is what is neither permanent basic farmland nor other cultivated land;
  // farmland lying on a non-01 class (or with no land-use layer at all) is not "other"
  const otherLandM2 = Math.max(0, total - Math.max(cultivated, pbf));
  const flags: ParcelFlag[] = [
    ...layerFlag('OCCUPIES_PERMANENT_BASIC_FARMLAND', layers.permanentBasicFarmland, min),
    ...(farmlandM2 > FARMLAND_LIMIT_M2
      ? [{ code: 'FARMLAND_OVER_35_HA' as const, areaM2: farmlandM2, featureIds: [] }]
      : []),
    ...(otherLandM2 > OTHER_LAND_LIMIT_M2
      ? [{ code: 'OTHER_LAND_OVER_70_HA' as const, areaM2: otherLandM2, featureIds: [] }]
      : []),
    ...layerFlag('OVERLAPS_MINING_RIGHT', layers.miningRight, min),
    ...layerFlag('IN_GEOHAZARD_ZONE', layers.geohazardZone, min),
    ...layerFlag('CROSSES_ECOLOGICAL_RED_LINE', layers.ecologicalRedLine, min),
  ];
  const stateCouncil = flags.some((f) =>
    ['OCCUPIES_PERMANENT_BASIC_FARMLAND', 'FARMLAND_OVER_35_HA', 'OTHER_LAND_OVER_70_HA'].includes(f.code),
  );
  return { flags, approvalLevel: stateCouncil ? 'stateCouncil' : 'province', farmlandM2, otherLandM2 };
}
