import type { GaussKrugerCrs, GeodeticDatum, Helmert7, ZoneWidth } from '../crs.ts';
import type { MultiPolygonGeometry } from '../geometry.ts';
import type { RingRole } from '../rings.ts';

/**
 * Codes of the findings on a coordinate file (坐标文件). Errors mean part of the file could
 * not be used; warnings mean it was used, with the stated assumption.
 */
export type CoordinateIssueCode =
  // errors
  | 'UNREADABLE_ENCODING' // neither UTF-8 nor GB18030 (or binary)
  | 'MISSING_SECTION' // no [地块坐标] (error) / no [属性描述] (warning)
  | 'NON_NUMERIC_COORDINATE'
  | 'TOO_FEW_POINTS' // a ring with fewer than three distinct points
  | 'SELF_INTERSECTION' // a ring crosses itself
  | 'RINGS_CROSS' // two rings of one parcel cross
  | 'NO_PARCELS'
  | 'UNEXPECTED' // a defect of ours, reported instead of thrown so one file cannot crash a batch
  // warnings
  | 'AREA_MISMATCH'
  | 'AREA_NOT_DECLARED'
  | 'RING_NOT_CLOSED'
  | 'DUPLICATE_POINT'
  | 'POINT_COUNT_MISMATCH'
  | 'XY_SWAPPED'
  | 'ZONE_INFERRED'
  | 'ZONE_WIDTH_INFERRED'
  | 'ZONE_MISMATCH'
  | 'ZONE_UNKNOWN'
  | 'MIXED_ZONES'
  | 'COORDINATE_SYSTEM_ASSUMED'
  | 'DATUM_SHIFT_MISSING'
  | 'PRECISION_AS_DIGITS'
  | 'MISSING_HEADER_KEY'
  | 'PLOT_HEADER_SHIFTED'
  | 'PLOT_HEADER_PLACEHOLDERS'
  | 'PLOT_HEADER_INCOMPLETE'
  | 'POINT_OUTSIDE_PARCEL'
  | 'RING_TOUCHES_ITSELF'
  | 'PARCELS_OVERLAP'
  | 'UNKNOWN_LINE';

export interface CoordinateIssue {
  /** 1-based line in the file; 0 when the finding concerns the whole file */
  line: number;
  code: CoordinateIssueCode;
  message: string;
}

/** One 界址点 (boundaryPoint) as read: X is northing, Y easting (zone-prefixed or not). */
export interface BoundaryPoint {
  name: string;
  ringNo: number;
  x: number;
  y: number;
  line: number;
  /** columns after X and Y in a longer point row, kept for writing back */
  extra: string[];
}

export type RingClosure = 'repeated' | 'renamed' | 'added';

export interface ParcelRing {
  ringNo: number;
  /** line of the ring's first point */
  line: number;
  /** distinct boundary points, without the closing repeat */
  points: BoundaryPoint[];
  closedBy: RingClosure;
  role: RingRole;
  /** ring nesting depth: 0 outer, 1 hole, 2 island in a hole, … */
  depth: number;
  areaM2: number;
  /** mining-right blocks: elevation range in metres (标高) */
  elevation?: { top: number; bottom: number };
}

export type DeclaredAreaUnit = 'm2' | 'ha';

export interface DeclaredArea {
  value: number | null;
  /** the unit under which the declared value matched (or came closest): 平方米 / 公顷 */
  unit: DeclaredAreaUnit | null;
  unitLabel: '平方米' | '公顷' | null;
  matched: boolean;
  /** declared (in m² under `unit`) minus computed, m² */
  differenceM2: number | null;
  toleranceM2: number | null;
}

/** 地块 (parcel) header fields, by their position in the plot header line. */
export interface ParcelHeader {
  line: number;
  pointCount: number | null;
  declaredAreaText: string;
  no: string;
  name: string;
  geometryType: string;
  mapSheet: string;
  landUse: string;
  landClassCode: string;
  /** fields after 地类编码 and before `@` in longer headers */
  extraFields: string[];
}

export interface Parcel extends ParcelHeader {
  points: BoundaryPoint[];
  rings: ParcelRing[];
  /** shells counter-clockwise, holes clockwise, [easting, northing] as in the file */
  geometry: MultiPolygonGeometry;
  areaM2: number;
  declaredArea: DeclaredArea;
}

export interface ResolvedCrs {
  /** 坐标系 as written */
  coordinateSystem: string;
  datum: GeodeticDatum;
  zoneWidth: ZoneWidth | null;
  zone: number | null;
  centralMeridian: number | null;
  zonePrefix: boolean;
  epsg: number | null;
  proj4: string | null;
  /** 计量单位 */
  unit: string;
  /** 精度 as a coordinate step in metres (精度=3 is read as 0.001) */
  precision: number | null;
  /** 转换参数 when all seven were given */
  transformParameters: Helmert7 | null;
  xySwapped: boolean;
  gaussKruger: GaussKrugerCrs | null;
}

export interface ParsedCoordinateFile {
  encoding: string;
  /** [属性描述] keys and values in file order */
  attributes: Record<string, string>;
  /** [项目信息] when present */
  project: Record<string, string>;
  /** [登记项目] of the mining-right layout when present */
  registration: Record<string, string>;
  layout: 'parcel' | 'miningRight';
  crs: ResolvedCrs;
  parcels: Parcel[];
  warnings: CoordinateIssue[];
  errors: CoordinateIssue[];
}
