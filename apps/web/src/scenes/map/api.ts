import { api } from '../../api/client.ts';

// The spatial endpoints (apps/server/src/modules/spatial). Geometries come in lon/lat
// (EPSG:4490, used as EPSG:4326 on the map); areas are m² in the layers' Gauss–Krüger planes.

export type LayerKind =
  | 'permanentBasicFarmland'
  | 'landUsePlan'
  | 'landUse'
  | 'miningRight'
  | 'geohazardZone'
  | 'ecologicalRedLine'
  | 'custom';

export interface MultiPolygon {
  type: 'MultiPolygon';
  coordinates: number[][][][];
}
export interface Polygon {
  type: 'Polygon';
  coordinates: number[][][];
}

export interface Layer {
  id: number;
  name: string;
  kind: LayerKind;
  crs: number;
  featureCount: number;
  /** [minLon, minLat, maxLon, maxLat], null for an empty layer */
  extent: [number, number, number, number] | null;
  areaM2: number;
}

export interface FileIssue {
  line: number;
  code: string;
  message: string;
}

export interface FileCheck {
  crs: { epsg: number | null; datum: string };
  parcels: Array<{ no: string; name: string; areaM2: number }>;
  warnings: FileIssue[];
  errors: FileIssue[];
  geographic: { features: Array<{ geometry: MultiPolygon }> } | null;
}

export interface LayerResult {
  layerId: number;
  name: string;
  kind: LayerKind;
  totalAreaM2: number;
  byClass: Array<{
    classCode: string;
    areaM2: number;
    features: Array<{ id: string; areaM2: number; geometry: MultiPolygon }>;
  }>;
}

export type FlagCode =
  | 'OCCUPIES_PERMANENT_BASIC_FARMLAND'
  | 'FARMLAND_OVER_35_HA'
  | 'OTHER_LAND_OVER_70_HA'
  | 'OVERLAPS_MINING_RIGHT'
  | 'IN_GEOHAZARD_ZONE'
  | 'CROSSES_ECOLOGICAL_RED_LINE';

export interface Analysis {
  parcel: { crs: number; areaM2: number; parcels: number; geometry: MultiPolygon };
  layers: LayerResult[];
  assessment: { approvalLevel: 'stateCouncil' | 'province'; flags: Array<{ code: FlagCode; areaM2: number }> };
  warnings: string[];
}

/** The file's bytes as base64 (the JSON body the API takes from the browser). */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export const listLayers = () => api<Layer[]>('/spatial/layers');

export const checkCoordinateFile = (coordinateFileBase64: string) =>
  api<FileCheck>('/spatial/coordinate-files/check', { method: 'POST', body: { coordinateFileBase64 } });

export const analyseFile = (coordinateFileBase64: string) =>
  api<Analysis>('/spatial/analyse', { method: 'POST', body: { coordinateFileBase64 } });

export const analyseGeometry = (geometry: Polygon | MultiPolygon) =>
  api<Analysis>('/spatial/analyse', { method: 'POST', body: { geometry, crs: 4490 } });

export interface FeatureCollection {
  type: 'FeatureCollection';
  features: Array<{ type: 'Feature'; id: string; properties: Record<string, unknown>; geometry: MultiPolygon }>;
  truncated: boolean;
}

export const layerFeatures = (id: number, bbox: readonly number[], zoom: number, signal?: AbortSignal) =>
  api<FeatureCollection>(
    `/spatial/layers/${id}/features?bbox=${bbox.map((v) => v.toFixed(6)).join(',')}&zoom=${Math.round(zoom)}`,
    signal ? { signal } : {},
  );
