import { describe, expect, it } from 'vitest';
import { FeatureStore } from './feature-store.ts';
import type { LayerFeature } from './layer-index.ts';

describe('FeatureStore', () => {
  it('gives back every feature exactly: parts, holes, ids, classes and attributes', () => {
    const features: LayerFeature[] = [
      {
        id: 'a',
        classCode: '0101',
        attrs: { DLMC: '水田' },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [38_500_000.01, 3_000_000.02],
              [38_500_010, 3_000_000],
              [38_500_010, 3_000_010],
              [38_500_000.01, 3_000_000.02],
            ],
          ],
        },
      },
      {
        id: 'b',
        classCode: '0301',
        attrs: {},
        geometry: {
          type: 'MultiPolygon',
          coordinates: [
            [
              [
                [0, 0],
                [10, 0],
                [10, 10],
                [0, 10],
                [0, 0],
              ],
              [
                [2, 2],
                [2, 4],
                [4, 4],
                [4, 2],
                [2, 2],
              ],
            ],
            [
              [
                [20, 0],
                [30, 0],
                [30, 10],
                [20, 0],
              ],
            ],
          ],
        },
      },
    ];
    const store = FeatureStore.from(features);
    expect(store.size).toBe(2);
    expect(store.feature(0)).toEqual({
      ...features[0],
      geometry: { type: 'MultiPolygon', coordinates: [features[0]!.geometry.coordinates] },
    });
    expect(store.feature(1)).toEqual(features[1]);
    expect(store.polygonCount(1)).toBe(2);
    expect(store.firstVertex(0)).toEqual([38_500_000.01, 3_000_000.02]);
  });
});
