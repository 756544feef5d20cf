import { orientRing, ringArea, ringInsideRing, type Position, type Ring } from './geometry.ts';

export type RingRole = 'outer' | 'hole';

export interface AssembledRings {
  /** polygons as GeoJSON rings: shell counter-clockwise, holes clockwise, all closed */
  polygons: Ring[][];
  /** per input ring: its role, nesting depth and the input index of its parent ring */
  roles: { role: RingRole; depth: number; parent: number | undefined; polygon: number }[];
}

/**
 * Builds polygons from loose rings by geometry, not by their numbering: a ring inside an
 * odd number of others is a hole of the smallest ring around it, otherwise a shell (so an
 * island inside a hole becomes a new part). Containment is tested largest-first, which
 * makes the smallest container the last match.
 */
export function assembleRings(rings: readonly (readonly Position[])[]): AssembledRings {
  const order = rings.map((_, i) => i).sort((a, b) => ringArea(rings[b] ?? []) - ringArea(rings[a] ?? []));
  const depth = new Array<number>(rings.length).fill(0);
  const parent = new Array<number | undefined>(rings.length).fill(undefined);
  order.forEach((i, k) => {
    for (let m = k - 1; m >= 0; m--) {
      const j = order[m] as number;
      if (ringInsideRing(rings[i] ?? [], rings[j] ?? [])) {
        parent[i] = j;
        depth[i] = (depth[j] ?? 0) + 1;
        break;
      }
    }
  });
  const polygons: Ring[][] = [];
  const polygonOf = new Array<number>(rings.length).fill(-1);
  for (const i of order) {
    if ((depth[i] ?? 0) % 2 === 0) {
      polygonOf[i] = polygons.length;
      polygons.push([orientRing(rings[i] ?? [], true)]);
    }
  }
  for (const i of order) {
    const p = parent[i];
    if ((depth[i] ?? 0) % 2 === 1 && p !== undefined) {
      const target = polygonOf[p] ?? -1;
      polygonOf[i] = target;
      polygons[target]?.push(orientRing(rings[i] ?? [], false));
    }
  }
  const roles = rings.map((_, i): AssembledRings['roles'][number] => ({
    role: (depth[i] ?? 0) % 2 === 0 ? 'outer' : 'hole',
    depth: depth[i] ?? 0,
    parent: parent[i],
    polygon: polygonOf[i] ?? -1,
  }));
  return { polygons, roles };
}
