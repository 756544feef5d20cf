/**
 * Test harness for the browser journeys: builds the web app when needed and runs the real
 * server (`guotu start`) on a free port with a fresh embedded database. Reused by every
 * journey in apps/web/e2e.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const webRoot = join(repoRoot, 'apps/web');
const distIndex = join(webRoot, 'dist/index.html');

/** Newest modification time (ms) of the web sources, so a stale dist is rebuilt. */
function newestSource(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestSource(join(path, entry)));
  return newest;
}

/** `vite build` once when apps/web/dist is missing or older than the sources. */
export function ensureWebBuild(): void {
  const sources = ['src', 'index.html', 'vite.config.ts', 'public']
    .map((p) => join(webRoot, p))
    .filter((p) => existsSync(p));
  const fresh = existsSync(distIndex) && statSync(distIndex).mtimeMs >= Math.max(...sources.map(newestSource));
  if (fresh && process.env.E2E_REBUILD !== '1') return;
  const vite = join(repoRoot, 'node_modules/vite/bin/vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: webRoot, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`vite build failed (exit ${String(result.status)}):\n${result.stdout}\n${result.stderr}`);
  }
}

/** dist/index.html exists and every asset it references is there (no build half-way through). */
function distComplete(): boolean {
  if (!existsSync(distIndex)) return false;
  const html = readFileSync(distIndex, 'utf8');
  const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1] ?? '');
  return assets.every((asset) => existsSync(join(webRoot, 'dist', asset)));
}

/**
 * A private copy of apps/web/dist for one server: other sessions rebuild dist while journeys
 * run (vite empties the folder first), and a server that starts while dist is missing serves no
 * web at all. Waits up to a minute for a complete build, rebuilding once if none appears.
 */
async function snapshotWeb(into: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  while (!distComplete()) {
    if (Date.now() > deadline) {
      ensureWebBuild();
      break;
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
  const target = join(into, 'web');
  cpSync(join(webRoot, 'dist'), target, { recursive: true });
  return target;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

export interface RunningServer {
  baseUrl: string;
  dataDir: string;
  /** the last lines the server printed (for failure messages) */
  output: () => string;
  stop: () => Promise<void>;
}

const readyTimeoutMs = 120_000;

async function isReady(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
    return response.status === 200;
  } catch {
    return false; // not listening yet
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveExit) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolveExit();
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveExit();
    });
  });
}

export type E2eEngine = 'pglite' | 'postgres';

/** The engines a journey that must hold on both runs on: PostgreSQL too when DATABASE_URL is set. */
export const e2eEngines: E2eEngine[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** A fresh PostgreSQL database for one server (created from DATABASE_URL, dropped on stop). */
async function freshPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.DATABASE_URL;
  if (!admin) throw new Error('the postgres journey needs DATABASE_URL');
  const name = `guotu_e2e_${Math.random().toString(16).slice(2, 10)}`;
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}

/**
 * `node apps/server/bin/guotu.mjs start` with PORT, HOST=127.0.0.1, a fresh DATA_DIR and the
 * embedded database (or, for `engine: 'postgres'`, a fresh PostgreSQL database seeded with the
 * demo data), then waits for GET /readyz to answer 200.
 */
export async function startServer(options: { engine?: E2eEngine } = {}): Promise<RunningServer> {
  // E2E_BASE_URL: run the journeys against a server that is already running (e.g. `vite`
  // dev in front of it). It must be freshly seeded: one journey changes the leader's
  // password. Nothing is started or stopped then.
  const external = process.env.E2E_BASE_URL;
  if (external)
    return { baseUrl: external.replace(/\/$/, ''), dataDir: '', output: () => '', stop: () => Promise.resolve() };
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'guotu-e2e-'));
  const webDist = await snapshotWeb(dataDir);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WEB_DIST: webDist,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  const postgres = options.engine === 'postgres' ? await freshPostgres() : null;
  if (postgres) {
    env.DATABASE_URL = postgres.url;
    env.SEED_DEMO = 'true';
  }
  const child = spawn(process.execPath, [join(repoRoot, 'apps/server/bin/guotu.mjs'), 'start'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-8_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const baseUrl = `http://127.0.0.1:${port}`;
  const server: RunningServer = {
    baseUrl,
    dataDir,
    output: () => log,
    stop: async () => {
      child.kill('SIGTERM');
      await waitForExit(child, 15_000);
      rmSync(dataDir, { recursive: true, force: true });
      await postgres?.drop();
    },
  };

  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      rmSync(dataDir, { recursive: true, force: true });
      await postgres?.drop();
      throw new Error(`server exited (${String(child.exitCode ?? child.signalCode)}) before /readyz answered:\n${log}`);
    }
    if (await isReady(baseUrl)) return server;
    await new Promise((r) => setTimeout(r, 500));
  }
  await server.stop();
  throw new Error(`server did not answer GET /readyz 200 within ${readyTimeoutMs / 1000} s:\n${log}`);
}
