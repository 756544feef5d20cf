#!/usr/bin/env node
// `npm start`: builds the web app when its build is missing or older than its sources, then
// runs `guotu start` (server + web + job workers on the embedded database unless DATABASE_URL),
// with the demo cases on (DEMO_CASES=true, README "Try a case") unless DEMO_CASES is set.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const web = path.join(root, 'apps/web');
const builtIndex = path.join(web, 'dist/index.html');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

const stale =
  !existsSync(builtIndex) ||
  statSync(builtIndex).mtimeMs <
    Math.max(newestMtime(path.join(web, 'src')), statSync(path.join(web, 'index.html')).mtimeMs);
if (stale) {
  console.log('Building the web app (first start, or sources changed)…');
  const build = spawnSync('npm', ['run', 'build', '-w', 'apps/web'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// An empty value counts as unset, as everywhere in the configuration.
const demoCases = process.env.DEMO_CASES ? process.env.DEMO_CASES : 'true';
const server = spawn(
  process.execPath,
  [path.join(root, 'apps/server/bin/guotu.mjs'), 'start', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit', env: { ...process.env, DEMO_CASES: demoCases } },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
