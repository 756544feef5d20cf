import { findCrossings, type Crossing } from '../crossings.ts';
import { planarArea, ringArea, type MultiPolygonGeometry, type Position } from '../geometry.ts';
import { assembleRings } from '../rings.ts';
import { compareDeclaredArea, type AreaCheckOptions } from './declared-area.ts';
import type { IssueLog } from './issues.ts';
import type { BoundaryPoint, Parcel, ParcelRing, RingClosure } from './model.ts';
import type { RawParcel } from './scan.ts';
import { checkHeader } from './check-header.ts';

interface RingDraft {
  ringNo: number;
  points: BoundaryPoint[];
  closedBy: RingClosure | undefined;
}

const samePlace = (a: BoundaryPoint, b: BoundaryPoint): boolean =>
  Math.abs(a.x - b.x) < 1e-6 && Math.abs(a.y - b.y) < 1e-6;

/**
 * Cuts a parcel's points into rings: a new ring starts when 圈号 changes or when the current
 * ring has closed (a point back on its first one, whatever its name) and points go on.
 */
function splitRings(points: BoundaryPoint[], log: IssueLog, implicitClosure: boolean): RingDraft[] {
  const drafts: RingDraft[] = [];
  let cur: RingDraft | undefined;
  for (const p of points) {
    if (!cur || cur.closedBy || p.ringNo !== cur.ringNo) {
      cur = { ringNo: p.ringNo, points: [p], closedBy: undefined };
      drafts.push(cur);
      continue;
    }
    const first = cur.points[0] as BoundaryPoint;
    if (cur.points.length >= 3 && samePlace(p, first)) {
      cur.closedBy = p.name === first.name ? 'repeated' : 'renamed';
      continue;
    }
    const last = cur.points[cur.points.length - 1] as BoundaryPoint;
    if (samePlace(p, last)) {
      log.warn(p.line, 'DUPLICATE_POINT', `point ${p.name} repeats ${last.name} (line ${last.line}); left out`);
      continue;
    }
    cur.points.push(p);
  }
  for (const d of drafts) {
    if (d.closedBy || d.points.length < 3) continue;
    const last = d.points[d.points.length - 1] as BoundaryPoint;
    d.closedBy = 'added';
    if (implicitClosure) continue;
    log.warn(
      last.line,
      'RING_NOT_CLOSED',
      `ring ${d.ringNo} ends at ${last.name} without returning to ${d.points[0]?.name ?? ''}; closed by coordinates`,
    );
    d.closedBy = 'added';
  }
  return drafts;
}

/** [easting, northing] relative to the parcel's first point (local origin). */
const toLocal =
  (o: BoundaryPoint) =>
  (p: BoundaryPoint): Position => [p.y - o.y, p.x - o.x];

function reportCrossings(
  no: string,
  rings: RingDraft[],
  crossings: Crossing[],
  origin: BoundaryPoint,
  log: IssueLog,
): void {
  const seen = new Set<string>();
  for (const c of crossings) {
    const ra = rings[c.ringA] as RingDraft;
    const rb = rings[c.ringB] as RingDraft;
    const pa = ra.points[c.segA] as BoundaryPoint;
    const pb = rb.points[c.segB] as BoundaryPoint;
    const na = ra.points[(c.segA + 1) % ra.points.length] as BoundaryPoint;
    const nb = rb.points[(c.segB + 1) % rb.points.length] as BoundaryPoint;
    const x = (c.at[1] + origin.x).toFixed(3);
    const y = (c.at[0] + origin.y).toFixed(3);
    const key = `${c.kind}:${c.ringA}:${c.ringB}:${x}:${y}`;
    if (seen.has(key) || (c.kind === 'touch' && c.ringA !== c.ringB)) continue;
    seen.add(key);
    const where = `edge ${pa.name}–${na.name} (line ${pa.line}) and edge ${pb.name}–${nb.name} (line ${pb.line}) at X=${x}, Y=${y}`;
    if (c.kind === 'cross' && c.ringA === c.ringB) {
      log.error(pa.line, 'SELF_INTERSECTION', `parcel ${no} ring ${ra.ringNo} crosses itself: ${where}`);
    } else if (c.kind === 'cross') {
      log.error(pa.line, 'RINGS_CROSS', `parcel ${no}: ring ${ra.ringNo} crosses ring ${rb.ringNo}: ${where}`);
    } else if (c.ringA === c.ringB) {
      log.warn(
        pa.line,
        'RING_TOUCHES_ITSELF',
        `parcel ${no} ring ${ra.ringNo} ${c.kind === 'touch' ? 'touches' : 'runs along'} itself: ${where}`,
      );
    } else {
      log.warn(pa.line, 'RINGS_CROSS', `parcel ${no}: rings ${ra.ringNo} and ${rb.ringNo} share an edge: ${where}`);
    }
  }
}

export function buildParcel(raw: RawParcel, log: IssueLog, opts: AreaCheckOptions = {}): Parcel {
  const { header } = raw;
  const no = header.no || '?';
  checkHeader(raw, log);
  const drafts = splitRings(raw.points, log, raw.miningBlocks === true).filter((d) => {
    if (d.points.length >= 3) return true;
    log.error(
      d.points[0]?.line ?? header.line,
      'TOO_FEW_POINTS',
      `parcel ${no} ring ${d.ringNo} has ${d.points.length} distinct point(s); a ring needs three`,
    );
    return false;
  });
  const origin = drafts[0]?.points[0];
  const local = origin ? drafts.map((d) => d.points.map(toLocal(origin))) : [];
  const assembled = assembleRings(local);
  if (origin) reportCrossings(no, drafts, findCrossings(local), origin, log);
  const back = (p: Position): Position => [p[0] + (origin?.y ?? 0), p[1] + (origin?.x ?? 0)];
  const geometry: MultiPolygonGeometry = {
    type: 'MultiPolygon',
    coordinates: assembled.polygons.map((poly) => poly.map((ring) => ring.map(back))),
  };
  const areaM2 = round(planarArea({ type: 'MultiPolygon', coordinates: assembled.polygons }));
  const rings: ParcelRing[] = drafts.map((d, i) => {
    const role = assembled.roles[i];
    const ring: ParcelRing = {
      ringNo: d.ringNo,
      line: d.points[0]?.line ?? header.line,
      points: d.points,
      closedBy: d.closedBy ?? 'added',
      role: role?.role ?? 'outer',
      depth: role?.depth ?? 0,
      areaM2: round(ringArea(local[i] ?? [])),
    };
    const elevation = raw.elevations.get(d.ringNo);
    if (elevation) ring.elevation = elevation;
    return ring;
  });
  if (drafts.length === 0 && raw.points.length === 0) {
    log.error(header.line, 'TOO_FEW_POINTS', `parcel ${no} has no boundary points`);
  }
  const declaredArea = compareDeclaredArea(header, areaM2, raw.miningBlocks ? undefined : log, opts);
  return { ...header, points: raw.points, rings, geometry, areaM2, declaredArea };
}

const round = (v: number): number => Math.round(v * 1e4) / 1e4;
