import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** /work/main — three levels above packages/spatial/test. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Shared real-world test data; `GUOTU_TESTDATA` overrides the default beside the repo. */
export const testdataDir = process.env['GUOTU_TESTDATA'] ?? path.resolve(repoRoot, '../shared/testdata');
