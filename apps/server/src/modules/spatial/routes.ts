import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '@guotu/domain';
import { checkCoordinateFile, toGeoJSON, type AreaGeometry } from '@guotu/spatial';
import { requireActor, type AppContext } from '../../http/context.ts';
import { errorResponses, idParams } from '../../http/schemas.ts';
import { analyse } from './analysis-service.ts';
import { deleteLayer, getLayer, importLayer, listLayerViews, presentLayer } from './layers-service.ts';
import { featuresForMap } from './map-features.ts';
import { readCoordinateFileLayer, readGeoJsonLayer, readShapefileLayer, type SourceLayer } from './sources.ts';
import { layerKinds, type LayerKind, type LayerSource } from './tables.ts';
import { fileWithExt, onlyFile, readUpload, type Upload } from './upload.ts';

const MAX_UPLOAD = 200 * 1024 * 1024; // bytes: a county land-use layer as GeoJSON is ~100 MB
const anyObject = { type: 'object', additionalProperties: true } as const;
const layerSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    kind: { type: 'string', enum: [...layerKinds] },
    crs: { type: 'integer' },
    source: { type: 'string' },
    sourceName: { type: ['string', 'null'] },
    featureCount: { type: 'integer' },
    areaM2: { type: 'number' },
    createdAt: { type: 'string' },
    // [minLon, minLat, maxLon, maxLat] (CGCS2000), null for an empty layer
    extent: { anyOf: [{ type: 'array', items: { type: 'number' }, minItems: 4, maxItems: 4 }, { type: 'null' }] },
  },
  required: ['id', 'name', 'kind', 'crs', 'source', 'featureCount', 'areaM2', 'createdAt'],
} as const;

const intOrUndefined = (v: string | undefined): number | undefined =>
  v === undefined || v === '' ? undefined : Number(v);

/** The layer in an upload: a shapefile set, GeoJSON, or a coordinate file — by extension or `format`. */
function sourceOf(upload: Upload): { source: LayerSource; sourceName: string | null; layer: SourceLayer } {
  const f = upload.fields;
  const opts = {
    ...(f.classField ? { classField: f.classField } : {}),
    ...(f.idField ? { idField: f.idField } : {}),
    ...(f.crs ? { crs: Number(f.crs) } : {}),
  };
  const shp = fileWithExt(upload, '.shp');
  const first = upload.files[0];
  const format =
    f.format ?? (shp ? 'shapefile' : first && ['.json', '.geojson'].includes(first.ext) ? 'geojson' : 'coordinateFile');
  const sourceName = shp ? (upload.files.find((x) => x.ext === '.shp')?.filename ?? null) : (first?.filename ?? null);
  switch (format) {
    case 'shapefile': {
      if (!shp)
        throw new AppError('VALIDATION_FAILED', 'a shapefile needs its .shp (and .dbf, .prj, .cpg)', [
          { path: 'file', message: '.shp missing' },
        ]);
      const [dbf, prj, cpg] = ['.dbf', '.prj', '.cpg'].map((e) => fileWithExt(upload, e));
      return {
        source: 'shapefile',
        sourceName,
        layer: readShapefileLayer(
          { shp, ...(dbf ? { dbf } : {}), ...(prj ? { prj } : {}), ...(cpg ? { cpg } : {}) },
          opts,
        ),
      };
    }
    case 'geojson':
      return { source: 'geojson', sourceName, layer: readGeoJsonLayer(onlyFile(upload).toString('utf8'), opts) };
    case 'coordinateFile':
      return { source: 'coordinateFile', sourceName, layer: readCoordinateFileLayer(onlyFile(upload)) };
    default:
      throw new AppError('VALIDATION_FAILED', `unknown format ${format}`, [
        { path: 'format', message: 'geojson | shapefile | coordinateFile' },
      ]);
  }
}

/** The coordinate file of a request: multipart, a raw body, or JSON `{ coordinateFileBase64 }` (the web app). */
async function coordinateFileBytes(request: FastifyRequest): Promise<Buffer> {
  const body = request.body as { coordinateFileBase64?: unknown } | undefined;
  if (!request.isMultipart() && !Buffer.isBuffer(body) && typeof body?.coordinateFileBase64 === 'string')
    return Buffer.from(body.coordinateFileBase64, 'base64');
  return onlyFile(await readUpload(request));
}

export function spatialRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  void app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: MAX_UPLOAD, files: 8, fields: 20 } });
    scope.addContentTypeParser(
      ['application/octet-stream', 'text/plain'],
      { parseAs: 'buffer', bodyLimit: MAX_UPLOAD },
      (_req, body, done) => done(null, body),
    );

    scope.post(
      '/api/v1/spatial/coordinate-files/check',
      {
        config: { access: 'map.read' },
        bodyLimit: MAX_UPLOAD,
        schema: {
          summary:
            'Check a boundary coordinate file (坐标文件; multipart, raw body or JSON { coordinateFileBase64 }): parcels, CRS, warnings and errors with line numbers; `geographic` is the parcels in EPSG:4490 for the map',
          tags: ['spatial'],
          response: { 200: anyObject, ...errorResponses },
        },
      },
      async (request) => {
        const report = checkCoordinateFile(await coordinateFileBytes(request));
        const geographic =
          report.errors.length === 0 && report.parcels.length > 0 ? toGeoJSON(report, { geographic: true }) : null;
        return { ...report, geographic };
      },
    );

    scope.post<{ Body: { geometry?: AreaGeometry; crs?: number; layerIds?: number[]; coordinateFileBase64?: string } }>(
      '/api/v1/spatial/analyse',
      {
        config: { access: 'map.read' },
        bodyLimit: MAX_UPLOAD,
        schema: {
          summary:
            'Overlay a parcel (a GeoJSON geometry, EPSG:4490 unless `crs`; or a coordinate file as multipart/raw/JSON { coordinateFileBase64 }) on the layers: area per layer and class with the overlapping pieces, flags and the 土地管理法 §46 approval level',
          tags: ['spatial'],
          response: { 200: anyObject, ...errorResponses },
        },
      },
      async (request) => {
        const actor = requireActor(request.actor);
        if (request.isMultipart() || Buffer.isBuffer(request.body)) {
          const upload = await readUpload(request);
          const ids = upload.fields.layerIds ? upload.fields.layerIds.split(',').map(Number) : undefined;
          return analyse(db, actor, { coordinateFile: onlyFile(upload), ...(ids ? { layerIds: ids } : {}) });
        }
        const body = request.body;
        if (body?.coordinateFileBase64)
          return analyse(db, actor, {
            coordinateFile: Buffer.from(body.coordinateFileBase64, 'base64'),
            ...(body.layerIds ? { layerIds: body.layerIds } : {}),
          });
        if (!body?.geometry)
          throw new AppError('VALIDATION_FAILED', 'send { geometry } or a coordinate file', [
            { path: 'body.geometry', message: 'required' },
          ]);
        return analyse(db, actor, {
          geometry: body.geometry,
          ...(body.crs ? { crs: body.crs } : {}),
          ...(body.layerIds ? { layerIds: body.layerIds } : {}),
        });
      },
    );

    scope.get(
      '/api/v1/spatial/layers',
      {
        config: { access: 'map.read' },
        schema: {
          summary:
            'Reference layers (farmland, land-use plan, land use, mining rights, geohazard zones, red line, custom)',
          tags: ['spatial'],
          response: { 200: { type: 'array', items: layerSchema }, ...errorResponses },
        },
      },
      async (request) => listLayerViews(db, requireActor(request.actor)),
    );

    scope.get<{ Params: { id: number } }>(
      '/api/v1/spatial/layers/:id',
      {
        config: { access: 'map.read' },
        schema: {
          summary: 'One layer',
          tags: ['spatial'],
          params: idParams,
          response: { 200: layerSchema, ...errorResponses },
        },
      },
      async (request) => presentLayer(await getLayer(db, request.params.id)),
    );

    scope.post(
      '/api/v1/spatial/layers',
      {
        config: { access: 'map.manage' },
        bodyLimit: MAX_UPLOAD,
        schema: {
          summary:
            'Import a layer (multipart: name, kind, files — .shp/.dbf/.prj/.cpg, .geojson or a coordinate file; optional classField, idField, crs). Invalid polygons are repaired and reported; all or nothing',
          tags: ['spatial'],
          response: { 201: anyObject, ...errorResponses },
        },
      },
      async (request, reply) => {
        const actor = requireActor(request.actor);
        if (!request.isMultipart())
          throw new AppError('VALIDATION_FAILED', 'send the layer as multipart/form-data', [
            { path: 'body', message: 'multipart expected' },
          ]);
        const upload = await readUpload(request);
        const name = upload.fields.name?.trim();
        const kind = upload.fields.kind as LayerKind | undefined;
        if (!name || name.length > 200)
          throw new AppError('VALIDATION_FAILED', 'name is required (≤ 200 characters)', [
            { path: 'name', message: 'required' },
          ]);
        if (!kind || !(layerKinds as readonly string[]).includes(kind))
          throw new AppError('VALIDATION_FAILED', `kind must be one of ${layerKinds.join(', ')}`, [
            { path: 'kind', message: 'invalid' },
          ]);
        if (upload.fields.crs !== undefined && !Number.isInteger(intOrUndefined(upload.fields.crs)))
          throw new AppError('VALIDATION_FAILED', 'crs must be an EPSG code', [
            { path: 'crs', message: 'integer expected' },
          ]);
        const report = await importLayer(db, actor, { name, kind, ...sourceOf(upload) });
        return reply.status(201).send(report);
      },
    );

    scope.delete<{ Params: { id: number } }>(
      '/api/v1/spatial/layers/:id',
      {
        config: { access: 'map.manage' },
        schema: {
          summary: 'Delete a layer and its features',
          tags: ['spatial'],
          params: idParams,
          response: { 204: { type: 'null' }, ...errorResponses },
        },
      },
      async (request, reply) => {
        await deleteLayer(db, requireActor(request.actor), request.params.id);
        return reply.status(204).send();
      },
    );

    scope.get<{ Params: { id: number }; Querystring: { bbox: string; zoom: number } }>(
      '/api/v1/spatial/layers/:id/features',
      {
        config: { access: 'map.read' },
        schema: {
          summary:
            'Features meeting a lon/lat box (EPSG:4490, "minLon,minLat,maxLon,maxLat"), simplified to half a pixel at `zoom`, for the map (at most 5000)',
          tags: ['spatial'],
          params: idParams,
          querystring: {
            type: 'object',
            properties: {
              bbox: { type: 'string', pattern: '^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$' },
              zoom: { type: 'number', minimum: 0, maximum: 24, default: 14 },
            },
            required: ['bbox'],
            additionalProperties: false,
          },
          response: { 200: anyObject, ...errorResponses },
        },
      },
      async (request) => {
        const bbox = request.query.bbox.split(',').map(Number) as [number, number, number, number];
        if (bbox[0] >= bbox[2] || bbox[1] >= bbox[3])
          throw new AppError('VALIDATION_FAILED', 'bbox must be minLon,minLat,maxLon,maxLat', [
            { path: 'query.bbox', message: 'empty box' },
          ]);
        return featuresForMap(db, requireActor(request.actor), request.params.id, { bbox, zoom: request.query.zoom });
      },
    );
  });
}
