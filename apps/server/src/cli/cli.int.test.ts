import { testdataDir } from '../../../../packages/spatial/test/testdata.ts';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = path.resolve(import.meta.dirname, '../../bin/guotu.mjs');
const baseEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [bin, ...args], {
    env: { ...baseEnv, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

describe('guotu CLI', () => {
  it('prints help for the command and its subcommands', () => {
    const top = run(['--help']);
    expect(top.status).toBe(0);
    for (const cmd of ['start', 'migrate', 'seed', 'user']) expect(top.stdout).toContain(cmd);
    const add = run(['user', 'add', '--help']);
    expect(add.stdout).toContain('--username');
  });

  it('lists every configuration problem and exits non-zero before doing anything', () => {
    const result = run(['migrate'], { PORT: 'abc', LOG_LEVEL: 'chatty', DATABASE_URL: 'ftp://nowhere' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).toContain('LOG_LEVEL');
    expect(result.stderr).toContain('DATABASE_URL');
  });

  it('migrates, seeds the demo idempotently and adds a user on the embedded database', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'guotu-cli-'));
    try {
      const env = { DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
      expect(run(['migrate'], env).status).toBe(0);
      const first = run(['seed', '--demo'], env);
      expect(first.status, first.stderr).toBe(0);
      expect(first.stdout).toContain('admin');
      const second = run(['seed', '--demo'], env);
      expect(second.stdout).toContain('none (already there)');
      const add = run(
        [
          'user',
          'add',
          '--username',
          'li.ming',
          '--name',
          '李明',
          '--password',
          'Liming2026',
          '--roles',
          'handler',
          '--division',
          '420106',
        ],
        env,
      );
      expect(add.status, add.stderr).toBe(0);
      expect(add.stdout).toContain('武昌区');
      const badRole = run(
        ['user', 'add', '--username', 'x.y', '--name', 'X', '--password', 'Abcdefg12', '--roles', 'king', '--org', '1'],
        env,
      );
      expect(badRole.status).toBe(1);
      expect(badRole.stderr).toContain('unknown role');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('starts, serves /readyz, and on SIGTERM finishes and exits 0', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'guotu-start-'));
    const port = 30_000 + Math.floor(Math.random() * 20_000);
    const child = spawn(process.execPath, [bin, 'start'], {
      env: {
        ...baseEnv,
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        WEB_DIST: 'none',
      },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    try {
      let ready = false;
      for (let i = 0; i < 240 && !ready; i++) {
        await new Promise((r) => setTimeout(r, 500));
        ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
          (r) => r.ok,
          () => false,
        );
      }
      expect(ready, output).toBe(true);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('stopped cleanly');
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('guotu calendar', () => {
  it('answers is-workday with true or false', () => {
    expect(run(['calendar', 'is-workday', '2026-10-01', '--bundled']).stdout.trim()).toBe('false');
    expect(run(['calendar', 'is-workday', '2026-10-10', '--bundled']).stdout.trim()).toBe('true');
    expect(run(['calendar', 'is-workday', '2026-10-11', '--bundled']).stdout.trim()).toBe('false');
  });

  it('adds working days across National Day and explains them as JSON', () => {
    const plain = run(['calendar', 'add', '2026-09-30', '5', '--unit', 'workday', '--bundled']);
    expect(plain.stdout.trim()).toBe('2026-10-13');
    const json = JSON.parse(
      run(['calendar', 'add', '2026-09-30', '5', '--unit', 'workday', '--json', '--bundled']).stdout,
    ) as { due: string; explanation: { days: Array<{ date: string; reason: string }> } };
    expect(json.due).toBe('2026-10-13');
    expect(json.explanation.days.find((d) => d.date === '2026-10-03')?.reason).toBe('holiday');
  });

  it('exits non-zero with a clear message outside the covered years', () => {
    const r = run(['calendar', 'add', '2026-12-28', '10', '--bundled']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('CALENDAR_NOT_COVERED');
  });

  it('imports a year into the database, after which add covers it', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'guotu-cal-'));
    try {
      const env = { DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
      const file = path.join(dataDir, '2027.txt');
      writeFileSync(file, 'year: 2027\nnotice: 测试\npublished: 2026-11-20\nholiday: 2027-01-01..2027-01-03 元旦\n');
      expect(run(['calendar', 'add', '2026-12-28', '10'], env).status).not.toBe(0);
      const imported = run(['calendar', 'import', file], env);
      expect(imported.status, imported.stderr).toBe(0);
      // 12-28 (Mon) + 10: Dec 29, 30, 31 (3); Jan 1–3 off; Jan 4–8 (8); Jan 11, 12 (10)
      expect(run(['calendar', 'add', '2026-12-28', '10'], env).stdout.trim()).toBe('2027-01-12');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('guotu coords', () => {
  const testdata = testdataDir;
  const file = (name: string) => path.join(testdata, 'coordfiles', name);

  it('checks a real coordinate file: exit 0 and the JSON report shape', () => {
    const r = run(['coords', 'check', file('03_edcfoshan_polygon-txt_44120000105.txt'), '--json']);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as {
      crs: unknown;
      parcels: Array<{ areaM2: number; declaredArea: { value: number; unit: string } }>;
      warnings: Array<{ line: number; code: string }>;
      errors: unknown[];
    };
    expect(report.errors).toEqual([]);
    expect(report.parcels).toHaveLength(1);
    expect(report.parcels[0]?.areaM2).toBeCloseTo(87422.55, 1);
    expect(report.warnings.every((w) => typeof w.line === 'number' && typeof w.code === 'string')).toBe(true);
  });

  it('exits non-zero for a file with errors, naming the line', () => {
    const r = run(['coords', 'check', path.join(testdata, 'coordfiles', 'SOURCES.md')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/error\s+line \d+: MISSING_SECTION/);
  });

  it('converts to GeoJSON', () => {
    const r = run(['coords', 'convert', file('01_Windr07_Txt-ShpConverter_SampleData.txt'), '--to', 'geojson']);
    expect(r.status, r.stderr).toBe(0);
    const fc = JSON.parse(r.stdout) as { type: string; features: unknown[] };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(5);
  });
});

describe('guotu audit verify', () => {
  it('passes on an untouched log and names the record edited by hand, exiting 1', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'guotu-audit-'));
    try {
      const env = { DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
      expect(run(['seed', '--demo'], env).status).toBe(0);
      const clean = run(['audit', 'verify'], env);
      expect(clean.status, clean.stdout + clean.stderr).toBe(0);
      expect(clean.stdout).toMatch(/^OK: \d+ records/);
      const { openDatabase } = await import('../platform/db.ts');
      const database = await openDatabase({ databaseUrl: null, dataDir });
      await database.db.updateTable('audit_log').set({ actor_name: 'someone-else' }).where('seq', '=', '7').execute();
      await database.close();
      const tampered = run(['audit', 'verify'], env);
      expect(tampered.status).toBe(1);
      expect(tampered.stdout).toMatch(/edited\s+record 7:/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
