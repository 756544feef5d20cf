import { findCrossings } from '../crossings.ts';
import { envelopeOf, locatePointInRing, type Envelope, type Position, type Ring } from '../geometry.ts';
import type { IssueLog } from './issues.ts';
import type { Parcel } from './model.ts';

const meets = (a: Envelope, b: Envelope): boolean =>
  a.minX < b.maxX && b.minX < a.maxX && a.minY < b.maxY && b.minY < a.maxY;

/** Whether p lies strictly inside the area of a polygon (inside the shell, outside its holes). */
function strictlyInside(p: Position, polygon: Ring[]): boolean {
  const [shell, ...holes] = polygon;
  if (!shell || locatePointInRing(p, shell, 1e-6) !== 'inside') return false;
  return holes.every((h) => locatePointInRing(p, h, 1e-6) === 'outside');
}

function overlaps(a: Parcel, b: Parcel): boolean {
  const ringsA = a.geometry.coordinates.flat();
  const ringsB = b.geometry.coordinates.flat();
  const open = (r: Ring): Ring => r.slice(0, -1);
  const crossings = findCrossings([...ringsA.map(open), ...ringsB.map(open)]);
  if (crossings.some((c) => c.kind === 'cross' && c.ringA < ringsA.length !== c.ringB < ringsA.length)) return true;
  const inside = (p: Parcel, other: Parcel): boolean =>
    probes(p).some((q) => other.geometry.coordinates.some((poly) => strictlyInside(q, poly)));
  return inside(a, b) || inside(b, a);
}

/**
 * Points that lie in a parcel or on its boundary: vertices, edge midpoints (two squares
 * offset along a shared line meet only at vertices) and each part's shell centroid when it
 * falls inside the part (identical parcels share every boundary point).
 */
function probes(p: Parcel): Position[] {
  const out: Position[] = [];
  for (const poly of p.geometry.coordinates) {
    for (const ring of poly) {
      ring.forEach((v, i) => {
        const w = ring[i + 1];
        out.push(v);
        if (w) out.push([(v[0] + w[0]) / 2, (v[1] + w[1]) / 2]);
      });
    }
    const c = centroid(poly[0] ?? []);
    if (c && strictlyInside(c, poly)) out.push(c);
  }
  return out;
}

function centroid(ring: Ring): Position | undefined {
  const pts = ring.slice(0, -1);
  if (pts.length === 0) return undefined;
  return [pts.reduce((s, q) => s + q[0], 0) / pts.length, pts.reduce((s, q) => s + q[1], 0) / pts.length];
}

/**
 * Parcels of one file must not overlap (shared boundaries are fine). Checked pairwise on
 * envelopes first; parcels with crossing or nested boundaries are reported once per pair.
 */
export function checkParcelOverlaps(parcels: Parcel[], log: IssueLog): void {
  const envs = parcels.map((p) => envelopeOf(p.geometry));
  parcels.forEach((a, i) => {
    for (let j = i + 1; j < parcels.length; j++) {
      const b = parcels[j] as Parcel;
      const [ea, eb] = [envs[i], envs[j]];
      if (!ea || !eb || !meets(ea, eb) || !overlaps(a, b)) continue;
      log.warn(
        b.line,
        'PARCELS_OVERLAP',
        `parcel ${b.no || '?'} (line ${b.line}) overlaps parcel ${a.no || '?'} (line ${a.line})`,
      );
    }
  });
}
