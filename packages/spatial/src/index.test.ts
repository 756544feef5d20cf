import { describe, expect, it } from 'vitest';
import * as spatial from './index.ts';

describe('@guotu/spatial entry point', () => {
  it('exports the public functions', () => {
    for (const name of [
      'parseCoordinateFile',
      'checkCoordinateFile',
      'writeCoordinateFile',
      'toGeoJSON',
      'createGeometryEngine',
      'LayerIndex',
      'overlayParcel',
      'assessParcel',
      'readShapefile',
      'toLayerFeatures',
      'crsFromEpsg',
      'crsFromPrj',
      'toProj4',
      'createTransformer',
      'ellipsoidalArea',
      'measureArea',
    ]) {
      expect(typeof (spatial as Record<string, unknown>)[name], name).toBe('function');
    }
  });
});
