import { AppError, hasPermission, type Actor } from '@guotu/domain';
import {
  cgcs2000Geographic,
  createTransformer,
  crsFromEpsg,
  polygonsOf,
  transformGeometry,
  toMultiPolygon,
  type MultiPolygonGeometry,
  type Position,
} from '@guotu/spatial';
import type { Db } from '../../platform/db.ts';
import { featuresInBox } from './repository.ts';
import { getLayer } from './layers-service.ts';

/** Perpendicular distance of p from the segment a–b. */
function distance(p: Position, a: Position, b: Position): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

/** Douglas–Peucker on a closed ring; undefined when it collapses below a triangle. */
export function simplifyRing(ring: readonly Position[], tolerance: number): Position[] | undefined {
  if (tolerance <= 0 || ring.length <= 4) return ring.length >= 4 ? [...ring] : undefined;
  const keep = new Uint8Array(ring.length);
  keep[0] = 1;
  keep[ring.length - 1] = 1;
  const stack: Array<[number, number]> = [[0, ring.length - 1]];
  // the first point equals the last: split at the farthest point first so the ring survives
  let far = 1;
  let best = -1;
  for (let i = 1; i < ring.length - 1; i++) {
    const d = Math.hypot(ring[i]![0] - ring[0]![0], ring[i]![1] - ring[0]![1]);
    if (d > best) [best, far] = [d, i];
  }
  keep[far] = 1;
  stack.pop();
  stack.push([0, far], [far, ring.length - 1]);
  while (stack.length > 0) {
    const [s, e] = stack.pop()!;
    let idx = -1;
    let max = tolerance;
    for (let i = s + 1; i < e; i++) {
      const d = distance(ring[i]!, ring[s]!, ring[e]!);
      if (d > max) [max, idx] = [d, i];
    }
    if (idx >= 0) {
      keep[idx] = 1;
      stack.push([s, idx], [idx, e]);
    }
  }
  const out = ring.filter((_, i) => keep[i] === 1);
  return out.length >= 4 ? out : undefined;
}

export function simplifyGeometry(g: MultiPolygonGeometry, tolerance: number): MultiPolygonGeometry {
  const coordinates = polygonsOf(g).flatMap((poly) => {
    const shell = simplifyRing(poly[0] ?? [], tolerance);
    if (!shell) return [];
    const holes = poly
      .slice(1)
      .map((r) => simplifyRing(r, tolerance))
      .filter((r): r is Position[] => r !== undefined);
    return [[shell, ...holes]];
  });
  return { type: 'MultiPolygon', coordinates };
}

/** Web-Mercator ground resolution (m per 256-px tile pixel) at a latitude and zoom. */
export const metresPerPixel = (latitude: number, zoom: number): number =>
  (156_543.033_92 * Math.cos((latitude * Math.PI) / 180)) / 2 ** zoom;

export interface MapFeatureCollection {
  type: 'FeatureCollection';
  features: Array<{
    type: 'Feature';
    id: string;
    properties: { classCode: string; areaM2: number } & Record<string, unknown>;
    geometry: MultiPolygonGeometry;
  }>;
  truncated: boolean;
  toleranceM: number;
}

const LIMIT = 5000;

/**
 * Features meeting a lon/lat box (EPSG:4490), simplified to half a pixel at `zoom`
 * (Douglas–Peucker in the layer's metric plane), returned in lon/lat for OpenLayers.
 */
export async function featuresForMap(
  db: Db,
  actor: Actor,
  layerId: number,
  query: { bbox: [number, number, number, number]; zoom: number },
): Promise<MapFeatureCollection> {
  if (!hasPermission(actor, 'map.read')) throw new AppError('FORBIDDEN', 'requires permission map.read');
  const layer = await getLayer(db, layerId);
  const crs = crsFromEpsg(layer.crs);
  if (!crs) throw new AppError('INTERNAL', `layer ${layerId} has an unknown CRS ${layer.crs}`);
  const [w, s, e, n] = query.bbox;
  const t = createTransformer(cgcs2000Geographic, crs);
  const corners = [t.forward([w, s]), t.forward([e, s]), t.forward([e, n]), t.forward([w, n])];
  const box: [number, number, number, number] = [
    Math.min(...corners.map((c) => c[0])),
    Math.min(...corners.map((c) => c[1])),
    Math.max(...corners.map((c) => c[0])),
    Math.max(...corners.map((c) => c[1])),
  ];
  const rows = await featuresInBox(db, layerId, box, LIMIT + 1);
  const tolerance = metresPerPixel((s + n) / 2, query.zoom) / 2;
  const back = createTransformer(crs, cgcs2000Geographic);
  const features = rows.slice(0, LIMIT).flatMap((r) => {
    const simple = simplifyGeometry(r.geometry, tolerance);
    if (simple.coordinates.length === 0) return [];
    return [
      {
        type: 'Feature' as const,
        id: r.featureId,
        properties: { ...r.attributes, classCode: r.classCode, areaM2: r.areaM2 },
        geometry: toMultiPolygon(transformGeometry(simple, (p) => back.forward(p))),
      },
    ];
  });
  return { type: 'FeatureCollection', features, truncated: rows.length > LIMIT, toleranceM: tolerance };
}
