import { useEffect, useRef } from 'react';
import OlMapView from 'ol/Map';
import View from 'ol/View';
import GeoJSON from 'ol/format/GeoJSON';
import Draw from 'ol/interaction/Draw';
import VectorLayer from 'ol/layer/Vector';
import { bbox as bboxStrategy } from 'ol/loadingstrategy';
import { fromLonLat, transformExtent } from 'ol/proj';
import VectorSource from 'ol/source/Vector';
import type Feature from 'ol/Feature';
import type { Geometry, Polygon as OlPolygon } from 'ol/geom';
import 'ol/ol.css';
import { layerFeatures, type Layer, type LayerKind, type MultiPolygon, type Polygon } from './api.ts';
import { drawStyle, layerStyle, overlapStyle, parcelStyle } from './styles.ts';

const format = new GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });

export interface OlMapProps {
  layers: readonly Layer[];
  visible: ReadonlySet<number>;
  parcel: MultiPolygon | null;
  overlaps: ReadonlyArray<{ kind: LayerKind; geometry: MultiPolygon }>;
  drawing: boolean;
  onDrawn: (polygon: Polygon) => void;
}

interface MapState {
  map: OlMapView;
  parcel: VectorSource<Feature<Geometry>>;
  overlaps: VectorLayer<VectorSource>;
  draw: VectorSource;
  layers: Map<number, VectorLayer<VectorSource>>;
  fitted: boolean;
}

/** A vector source that asks the server for the features in view, simplified for the zoom. */
function layerSource(id: number, view: View, onFirstLoad: (source: VectorSource) => void): VectorSource {
  const source: VectorSource = new VectorSource({
    strategy: bboxStrategy,
    loader: (extent, _resolution, projection, success, failure) => {
      const box = transformExtent(extent, projection, 'EPSG:4326');
      const clamped = [Math.max(box[0]!, 70), Math.max(box[1]!, 15), Math.min(box[2]!, 140), Math.min(box[3]!, 55)];
      layerFeatures(id, clamped, view.getZoom() ?? 12)
        .then((fc) => {
          const features = format.readFeatures(fc);
          source.addFeatures(features);
          success?.(features);
          onFirstLoad(source);
        })
        .catch(() => failure?.());
    },
  });
  return source;
}

/**
 * OpenLayers map on a plain background (no internet basemap): the layers the switcher shows,
 * the parcel (dashed), the overlapping pieces (filled in the layer's colour), and a polygon
 * draw tool.
 */
export function OlMap({ layers, visible, parcel, overlaps, drawing, onDrawn }: OlMapProps) {
  const target = useRef<HTMLDivElement>(null);
  const state = useRef<MapState | null>(null);
  const onDrawnRef = useRef(onDrawn);
  onDrawnRef.current = onDrawn;

  useEffect(() => {
    if (!target.current) return;
    const view = new View({ center: fromLonLat([112.9, 23.35]), zoom: 14 });
    const parcelSource = new VectorSource();
    const overlapLayer = new VectorLayer({ source: new VectorSource(), zIndex: 20 });
    const drawSource = new VectorSource();
    const map = new OlMapView({
      target: target.current,
      view,
      layers: [
        overlapLayer,
        new VectorLayer({ source: parcelSource, style: parcelStyle, zIndex: 30 }),
        new VectorLayer({ source: drawSource, style: drawStyle, zIndex: 40 }),
      ],
    });
    state.current = {
      map,
      parcel: parcelSource,
      overlaps: overlapLayer,
      draw: drawSource,
      layers: new Map(),
      fitted: false,
    };
    return () => {
      map.setTarget(undefined);
      state.current = null;
    };
  }, []);

  // one vector layer per server layer, created once; the switcher toggles visibility
  useEffect(() => {
    const s = state.current;
    if (!s) return;
    const view = s.map.getView();
    for (const l of layers) {
      if (s.layers.has(l.id)) continue;
      const source = layerSource(l.id, view, (src) => {
        if (s.fitted || src.getFeatures().length === 0 || s.parcel.getFeatures().length > 0) return;
        const extent = src.getExtent();
        if (!extent) return;
        s.fitted = true;
        view.fit(extent, { padding: [40, 40, 40, 40], maxZoom: 17 });
      });
      const layer = new VectorLayer({ source, style: layerStyle(l.kind), zIndex: 10 });
      layer.set('layerId', l.id);
      s.layers.set(l.id, layer);
      s.map.addLayer(layer);
    }
    for (const [id, layer] of s.layers) layer.setVisible(visible.has(id));
    // First load: show where the data is (features load by view box, so nothing loads until the view is there).
    const boxes = layers
      .filter((l) => visible.has(l.id) && l.extent)
      .map((l) => l.extent as [number, number, number, number]);
    if (!s.fitted && boxes.length > 0) {
      const [minLon, minLat] = [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1]))];
      const [maxLon, maxLat] = [Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
      s.fitted = true;
      view.fit([...fromLonLat([minLon, minLat]), ...fromLonLat([maxLon, maxLat])], {
        padding: [40, 40, 40, 40],
        maxZoom: 17,
      });
    }
  }, [layers, visible]);

  useEffect(() => {
    const s = state.current;
    if (!s) return;
    s.parcel.clear();
    if (!parcel) return;
    s.parcel.addFeatures(format.readFeatures({ type: 'Feature', properties: {}, geometry: parcel }));
    s.fitted = true;
    const extent = s.parcel.getExtent();
    if (extent) s.map.getView().fit(extent, { padding: [60, 60, 60, 60], maxZoom: 18 });
  }, [parcel]);

  useEffect(() => {
    const s = state.current;
    if (!s) return;
    const source = s.overlaps.getSource();
    source?.clear();
    for (const o of overlaps) {
      const features = format.readFeatures({ type: 'Feature', properties: {}, geometry: o.geometry });
      for (const f of features) f.setStyle(overlapStyle(o.kind));
      source?.addFeatures(features);
    }
  }, [overlaps]);

  useEffect(() => {
    const s = state.current;
    if (!s || !drawing) return;
    s.draw.clear();
    const draw = new Draw({ source: s.draw, type: 'Polygon' });
    draw.on('drawend', (event) => {
      const geometry = (event.feature.getGeometry() as OlPolygon).clone().transform('EPSG:3857', 'EPSG:4326');
      onDrawnRef.current({ type: 'Polygon', coordinates: geometry.getCoordinates() });
    });
    s.map.addInteraction(draw);
    return () => {
      s.map.removeInteraction(draw);
    };
  }, [drawing]);

  return <div ref={target} className="guotu-map" data-testid="map" />;
}
