export * from './geometry.ts';
export { assembleRings, type AssembledRings, type RingRole } from './rings.ts';
export {
  createGeometryEngine,
  type ClipPiece,
  type GeometryEngine,
  type OverlayOp,
  type OverlayOptions,
  type ValidationResult,
} from './geos-engine.ts';
export * from './crs.ts';
export * from './transform.ts';
export type * from './coordinate-file/model.ts';
export { parseCoordinateFile, type ParseOptions } from './coordinate-file/parse.ts';
export {
  checkCoordinateFile,
  reportOf,
  type CoordinateFileReport,
  type ParcelReport,
  type RingReport,
} from './coordinate-file/report.ts';
export { writeCoordinateFile, type WriteOptions } from './coordinate-file/write.ts';
export {
  toGeoJSON,
  type GeoJsonOptions,
  type ParcelFeature,
  type ParcelFeatureCollection,
} from './coordinate-file/geojson.ts';
export type { AreaCheckOptions } from './coordinate-file/declared-area.ts';
export { findCrossings, type Crossing, type CrossingKind } from './crossings.ts';
export {
  LayerIndex,
  overlayParcel,
  type LayerFeature,
  type OverlayClass,
  type OverlayParcelOptions,
  type OverlayPiece,
  type ParcelOverlay,
} from './layer-index.ts';
export {
  assessParcel,
  type ApprovalLevel,
  type AssessOptions,
  type LayerOverlays,
  type ParcelAssessment,
  type ParcelFlag,
  type ParcelFlagCode,
} from './flags.ts';
export { crsFromPrj } from './prj.ts';
export {
  readShapefile,
  toLayerFeatures,
  type LayerFieldMap,
  type AttributeValue,
  type ShapeFeature,
  type ShapefileInput,
  type ShapefileResult,
} from './shapefile.ts';
