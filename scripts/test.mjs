#!/usr/bin/env node
// `npm test`: runs every suite this machine can run and says plainly which it could not.
// Under CI=true nothing may be skipped: a missing DATABASE_URL or Chromium is a failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ci = process.env.CI === 'true' || process.env.CI === '1';
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const extraArgs = process.argv.slice(2);

const missing = [];
if (!process.env.DATABASE_URL) {
  missing.push('integration tests on PostgreSQL (DATABASE_URL is not set; they ran on PGlite only)');
}
const haveChromium = existsSync(chromium);
if (!haveChromium) missing.push(`browser journeys (no Chromium at ${chromium}; apt-get install -y chromium)`);

if (missing.length > 0) {
  const banner = ci ? 'CI=true and these suites cannot run:' : 'NOT RUN on this machine:';
  console.log(`\n${banner}\n${missing.map((m) => `  - ${m}`).join('\n')}\n`);
  if (ci) process.exit(1);
}

const projects = ['--project', 'node'];
if (haveChromium) projects.push('--project', 'browser');
const report = path.join(mkdtempSync(path.join(tmpdir(), 'guotu-test-')), 'vitest.json');
const result = spawnSync(
  'npx',
  ['vitest', 'run', ...projects, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extraArgs],
  { stdio: 'inherit' },
);
if (missing.length > 0) console.log(`\nReminder — not run: ${missing.length} suite group(s), listed above.`);
// One plain closing line, whatever reads this log: "N passed, N failed, N skipped".
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
}
process.exit(result.status ?? 1);
