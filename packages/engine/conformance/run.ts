/** `npm run conformance`: per-failure lines, then one JSON summary as the last line. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveTestdata, runBetsy } from './betsy.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const report = runBetsy(resolveTestdata(repoRoot));
for (const line of report.failures) console.log(line);
console.log(JSON.stringify({ core: report.core, all: report.all, constraints: report.constraints }));
