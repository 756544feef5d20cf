import { buildParcel } from './build-parcel.ts';
import { checkParcelOverlaps } from './parcel-overlaps.ts';
import type { AreaCheckOptions } from './declared-area.ts';
import { decodeText, isIssue, splitLines } from './decode.ts';
import { IssueLog, parseNumber } from './issues.ts';
import type { ParsedCoordinateFile, ResolvedCrs } from './model.ts';
import { resolveCrs, standardKeys } from './resolve-crs.ts';
import { scanLines, type ScannedFile } from './scan.ts';

export type ParseOptions = AreaCheckOptions;

const emptyCrs: ResolvedCrs = {
  coordinateSystem: '',
  datum: 'CGCS2000',
  zoneWidth: null,
  zone: null,
  centralMeridian: null,
  zonePrefix: false,
  epsg: null,
  proj4: null,
  unit: '',
  precision: null,
  transformParameters: null,
  xySwapped: false,
  gaussKruger: null,
};

function checkSections(file: ScannedFile, log: IssueLog): void {
  if (!file.sections.has('属性描述') && !file.miningRight) {
    log.warn(1, 'MISSING_SECTION', '[属性描述] is missing: the coordinate system is inferred from the coordinates');
  } else if (file.sections.has('属性描述')) {
    const missing = standardKeys.filter(
      (k) => !(k in file.attributes) && !(k === '几度分带' && '分带' in file.attributes),
    );
    if (missing.length > 0) {
      log.warn(file.sections.get('属性描述') ?? 1, 'MISSING_HEADER_KEY', `[属性描述] lacks ${missing.join(', ')}`);
    }
  }
  const declaredRows = parseNumber(file.registration['矿区范围拐点坐标与标高的总行数']);
  if (file.miningRight && declaredRows !== undefined && declaredRows !== file.miningRows) {
    const line = file.attributeLines['矿区范围拐点坐标与标高的总行数'] ?? 0;
    log.warn(
      line,
      'POINT_COUNT_MISMATCH',
      `矿区范围拐点坐标与标高的总行数=${declaredRows} but ${file.miningRows} XY rows follow`,
    );
  }
  if (!file.sections.has('地块坐标') && !file.miningRight) {
    log.error(file.lastLine, 'MISSING_SECTION', '[地块坐标] is missing: the file has no parcels');
  } else if (file.parcels.length === 0) {
    log.error(file.sections.get('地块坐标') ?? file.lastLine, 'NO_PARCELS', 'no plot header (…,@) or point rows found');
  }
}

/**
 * Reads a 坐标文件 (the ministry's boundary-coordinate exchange text) from its bytes (any of
 * UTF-8, GBK/GB18030, UTF-16 with BOM) or from text. Never throws on bad content: every
 * finding is in `errors` or `warnings` with its line number.
 */
export function parseCoordinateFile(input: Uint8Array | string, opts: ParseOptions = {}): ParsedCoordinateFile {
  const log = new IssueLog();
  try {
    return parseInto(log, input, opts);
  } catch (e) {
    // Handled: reported as an error of this file (with what we had), never thrown at the caller.
    log.error(0, 'UNEXPECTED', `the parser failed: ${e instanceof Error ? e.message : String(e)}`);
    return {
      encoding: 'unknown',
      attributes: {},
      project: {},
      registration: {},
      layout: 'parcel',
      crs: emptyCrs,
      parcels: [],
      ...log.sorted(),
    };
  }
}

function parseInto(log: IssueLog, input: Uint8Array | string, opts: ParseOptions): ParsedCoordinateFile {
  let text: string;
  let encoding = 'text';
  if (typeof input === 'string') {
    text = input.replace(/^\uFEFF/, '');
  } else {
    const decoded = decodeText(input);
    if (isIssue(decoded)) {
      log.errors.push(decoded);
      return {
        encoding: 'unknown',
        attributes: {},
        project: {},
        registration: {},
        layout: 'parcel',
        crs: emptyCrs,
        parcels: [],
        ...log.sorted(),
      };
    }
    text = decoded.text;
    encoding = decoded.encoding;
  }
  const file = scanLines(splitLines(text), log);
  checkSections(file, log);
  const crs = resolveCrs(
    file,
    file.parcels.flatMap((p) => p.points),
    log,
  );
  const parcels = file.parcels.map((raw) => buildParcel(raw, log, opts));
  checkParcelOverlaps(parcels, log);
  return {
    encoding,
    attributes: file.attributes,
    project: file.project,
    registration: file.registration,
    layout: file.miningRight ? 'miningRight' : 'parcel',
    crs,
    parcels,
    ...log.sorted(),
  };
}
