import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AppError } from '@guotu/domain';
import type { AppContext } from '../http/context.ts';
import { deleteLayer, importLayer, type ImportProgress } from '../modules/spatial/layers-service.ts';
import { listLayers } from '../modules/spatial/repository.ts';
import {
  readCoordinateFileLayer,
  readGeoJsonLayer,
  readShapefileLayer,
  type SourceLayer,
} from '../modules/spatial/sources.ts';
import { layerKinds, type LayerKind, type LayerSource } from '../modules/spatial/tables.ts';

type WithContext = <T>(work: (ctx: AppContext) => Promise<T>) => Promise<T>;

function read(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new AppError(
      'VALIDATION_FAILED',
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      [{ path: 'FILE', message: 'unreadable' }],
    );
  }
}

/** The layer in FILE: .shp (with its .dbf/.prj/.cpg beside it), .geojson/.json, else a coordinate file. */
function readSource(
  file: string,
  opts: { classField?: string; idField?: string; crs?: string },
): { source: LayerSource; layer: SourceLayer } {
  const ext = path.extname(file).toLowerCase();
  const fields = {
    ...(opts.classField ? { classField: opts.classField } : {}),
    ...(opts.idField ? { idField: opts.idField } : {}),
    ...(opts.crs ? { crs: Number(opts.crs) } : {}),
  };
  if (ext === '.shp') {
    const sibling = (e: string): Buffer | undefined => {
      const p = file.slice(0, -4) + e;
      return existsSync(p) ? readFileSync(p) : undefined;
    };
    const [dbf, prj, cpg] = ['.dbf', '.prj', '.cpg'].map(sibling);
    return {
      source: 'shapefile',
      layer: readShapefileLayer(
        { shp: read(file), ...(dbf ? { dbf } : {}), ...(prj ? { prj } : {}), ...(cpg ? { cpg } : {}) },
        fields,
      ),
    };
  }
  if (ext === '.geojson' || ext === '.json')
    return { source: 'geojson', layer: readGeoJsonLayer(read(file).toString('utf8'), fields) };
  return { source: 'coordinateFile', layer: readCoordinateFileLayer(read(file)) };
}

/** A one-line progress bar on stderr (a TTY redraws it; elsewhere one line per phase). */
function progressBar(): (p: ImportProgress) => void {
  const width = 30;
  let lastPhase = '';
  return (p) => {
    const filled = Math.round((p.done / Math.max(p.total, 1)) * width);
    const line = `${p.phase.padEnd(8)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}${p.done === p.total ? '\n' : ''}`);
    else if (p.done === p.total || p.phase !== lastPhase) process.stderr.write(`${line}\n`);
    lastPhase = p.phase;
  };
}

/** `guotu layers import|list|delete`: reference layers for overlay analysis. */
export function registerLayerCommands(program: Command, withContext: WithContext): void {
  const layers = program
    .command('layers')
    .description('reference layers for overlay analysis (farmland, land use, red line, …)');

  layers
    .command('import')
    .argument('<FILE>', '.shp (with .dbf/.prj/.cpg beside it), .geojson, or a coordinate file')
    .requiredOption('--kind <kind>', layerKinds.join(' | '))
    .requiredOption('--name <name>', 'layer name (unique)')
    .option('--class-field <field>', 'attribute with the class code (default: DLBM, 地类编码, …)')
    .option('--id-field <field>', 'attribute with the feature id (default: BSM, id, …)')
    .option('--crs <epsg>', 'EPSG code when the file does not say (no .prj, GeoJSON without crs)')
    .description(
      'import a layer in one transaction: invalid polygons are repaired and listed; any unusable feature → nothing imported',
    )
    .action(
      async (file: string, o: { kind: string; name: string; classField?: string; idField?: string; crs?: string }) => {
        if (!(layerKinds as readonly string[]).includes(o.kind))
          throw new AppError('VALIDATION_FAILED', `--kind must be one of ${layerKinds.join(', ')}`);
        const { source, layer } = readSource(file, o);
        process.stderr.write(`read ${layer.features.length} feature(s) from ${file} (EPSG:${layer.crs})\n`);
        const report = await withContext((ctx) =>
          importLayer(ctx.database.db, null, {
            name: o.name,
            kind: o.kind as LayerKind,
            source,
            sourceName: path.basename(file),
            layer,
            onProgress: progressBar(),
          }),
        );
        console.log(
          `layer ${report.layer.id} "${report.layer.name}": ${report.imported} feature(s), ${(report.layer.areaM2 / 10_000).toFixed(4)} ha, EPSG:${report.layer.crs}`,
        );
        for (const r of report.repaired)
          console.log(
            `  repaired #${r.index} (id ${r.featureId}): ${r.reason}; area ${r.areaBeforeM2.toFixed(2)} → ${r.areaAfterM2.toFixed(2)} m²`,
          );
        for (const w of report.warnings) console.log(`  note: ${w}`);
      },
    );

  layers
    .command('list')
    .description('list layers')
    .action(async () => {
      const rows = await withContext((ctx) => listLayers(ctx.database.db));
      for (const l of rows) console.log(`${l.id}\t${l.kind}\t${l.featureCount}\tEPSG:${l.crs}\t${l.name}`);
    });

  layers
    .command('delete')
    .argument('<ID>', 'layer id')
    .description('delete a layer and its features')
    .action(async (id: string) => {
      await withContext((ctx) => deleteLayer(ctx.database.db, null, Number(id)));
      console.log(`layer ${id} deleted`);
    });
}
