import { Fill, Stroke, Style } from 'ol/style';
import type { LayerKind } from './api.ts';

/** Outline and fill per layer kind (fill alpha low so stacked layers stay readable). */
export const kindColours: Record<LayerKind, string> = {
  permanentBasicFarmland: '#389e0d',
  landUsePlan: '#d48806',
  landUse: '#1677ff',
  miningRight: '#722ed1',
  geohazardZone: '#fa541c',
  ecologicalRedLine: '#cf1322',
  custom: '#595959',
};

const withAlpha = (hex: string, alpha: number): string => {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
};

export const layerStyle = (kind: LayerKind): Style =>
  new Style({
    stroke: new Stroke({ color: kindColours[kind], width: 1 }),
    fill: new Fill({ color: withAlpha(kindColours[kind], 0.12) }),
  });

export const parcelStyle = new Style({ stroke: new Stroke({ color: '#000000', width: 2.5, lineDash: [8, 4] }) });

export const overlapStyle = (kind: LayerKind): Style =>
  new Style({
    stroke: new Stroke({ color: kindColours[kind], width: 2 }),
    fill: new Fill({ color: withAlpha(kindColours[kind], 0.55) }),
  });

export const drawStyle = new Style({
  stroke: new Stroke({ color: '#000000', width: 2 }),
  fill: new Fill({ color: 'rgba(0,0,0,0.08)' }),
});
