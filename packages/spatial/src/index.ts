export * from './geometry.ts';
export { assembleRings, type AssembledRings, type RingRole } from './rings.ts';
export {
  createGeometryEngine,
  type GeometryEngine,
  type OverlayOp,
  type OverlayOptions,
  type ValidationResult,
} from './geos-engine.ts';
export * from './crs.ts';
export * from './transform.ts';
