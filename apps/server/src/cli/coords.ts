import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '@guotu/domain';
import {
  parseCoordinateFile,
  reportOf,
  toGeoJSON,
  writeCoordinateFile,
  type CoordinateFileReport,
} from '@guotu/spatial';

function readInput(file: string): Uint8Array {
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

function printHuman(file: string, report: CoordinateFileReport): void {
  console.log(
    `${file}: ${report.parcels.length} parcel(s), ${report.errors.length} error(s), ${report.warnings.length} warning(s)`,
  );
  for (const p of report.parcels) {
    const declared =
      p.declaredArea && p.declaredArea.value !== null
        ? ` declared ${p.declaredArea.value} ${p.declaredArea.unit ?? ''}${p.declaredArea.matched === false ? ' (MISMATCH)' : ''}`
        : '';
    console.log(`  parcel ${p.no ?? '?'} ${p.name ?? ''}: ${p.areaM2.toFixed(2)} m²${declared}`);
  }
  for (const e of report.errors) console.log(`  error   line ${e.line}: ${e.code} ${e.message}`);
  for (const w of report.warnings) console.log(`  warning line ${w.line}: ${w.code} ${w.message}`);
}

/** `guotu coords check|convert`: the ministry's boundary coordinate exchange text. */
export function registerCoordsCommands(program: Command, setExitCode: (code: number) => void): void {
  const coords = program
    .command('coords')
    .description('boundary coordinate files (坐标文件, the ministry exchange text)');

  coords
    .command('check')
    .argument('<FILE>', 'a coordinate file (GBK/GB18030 or UTF-8, any line endings)')
    .option('--json', 'print the full report as JSON')
    .description('parse and check a file; exit 0 when it has no errors, 1 otherwise')
    .action((file: string, options: { json?: boolean }) => {
      const report = reportOf(parseCoordinateFile(readInput(file)));
      if (options.json) console.log(JSON.stringify(report, null, 2));
      else printHuman(file, report);
      setExitCode(report.errors.length === 0 ? 0 : 1);
    });

  coords
    .command('convert')
    .argument('<FILE>', 'a coordinate file')
    .requiredOption('--to <format>', 'geojson | txt')
    .option('-o, --output <FILE>', 'write here instead of standard output')
    .description('convert to GeoJSON or write the exchange text back (normalised, UTF-8)')
    .action((file: string, options: { to: string; output?: string }) => {
      const parsed = parseCoordinateFile(readInput(file));
      if (parsed.errors.length > 0) {
        throw new AppError(
          'COORDINATE_FILE_INVALID',
          `${file} has ${parsed.errors.length} error(s); run coords check`,
          parsed.errors.map((e) => ({ line: e.line, message: `${e.code}: ${e.message}` })),
        );
      }
      let out: string;
      if (options.to === 'geojson') out = JSON.stringify(toGeoJSON(parsed), null, 2);
      else if (options.to === 'txt') out = writeCoordinateFile(parsed);
      else
        throw new AppError('VALIDATION_FAILED', `--to must be geojson or txt, got "${options.to}"`, [
          { path: '--to', message: 'geojson | txt' },
        ]);
      if (options.output) writeFileSync(options.output, out);
      else console.log(out);
    });
}
