import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root — three levels above packages/spatial/test. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Shared real-world test data (../shared/testdata beside the repository, see its README).
 * `GUOTU_TESTDATA` overrides; a clone made elsewhere on this machine finds the workspace copy.
 * Nothing is ever skipped for want of it: a missing directory makes the tests fail.
 */
function resolveTestdata(): string {
  const explicit = process.env['GUOTU_TESTDATA'];
  if (explicit) return explicit;
  const beside = path.resolve(repoRoot, '../shared/testdata');
  const workspace = '/work/shared/testdata';
  return existsSync(beside) || !existsSync(workspace) ? beside : workspace;
}

export const testdataDir = resolveTestdata();
