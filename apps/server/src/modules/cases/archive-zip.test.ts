import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { AppError } from '@guotu/domain';
import { buildArchive, verifyArchive, type ArchiveEntry } from './archive-zip.ts';

const createdAt = '2026-11-23T02:15:30.000Z'; // 10:15:30 in Shanghai
const entries = (): ArchiveEntry[] => [
  { path: 'documents/受理通知书.pdf', bytes: strToU8('%PDF-1.7 受理') },
  { path: 'case.json', bytes: strToU8('{"caseNumber":"420106-2026-000001"}') },
  { path: 'materials/boundaryCoordinates/0-界址点坐标.txt', bytes: strToU8('J1,3380000.000,38500000.000') },
  { path: 'history.json', bytes: strToU8('[]') },
];
const hasUnzip = spawnSync('unzip', ['-v']).error === undefined;

function thrown(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('case archive package', () => {
  it('round-trips: manifest.json first, entries sorted, hashes and sizes listed, verified ok', () => {
    const { zip, manifest, sha256 } = buildArchive('420106-2026-000001', createdAt, entries());
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    const files = unzipSync(zip);
    expect(Object.keys(files)).toEqual([
      'manifest.json',
      'case.json',
      'documents/受理通知书.pdf',
      'history.json',
      'materials/boundaryCoordinates/0-界址点坐标.txt',
    ]);
    expect(strFromU8(files['documents/受理通知书.pdf']!)).toBe('%PDF-1.7 受理');
    expect(JSON.parse(strFromU8(files['manifest.json']!))).toEqual(manifest);
    expect(manifest).toMatchObject({ format: 'guotu-case-archive/1', caseNumber: '420106-2026-000001', createdAt });
    expect(manifest.entries.map((e) => e.path)).toEqual(Object.keys(files).slice(1));
    const caseJson = entries()[1]!.bytes;
    expect(manifest.entries[0]).toEqual({
      path: 'case.json',
      sha256: createHash('sha256').update(caseJson).digest('hex'),
      size: caseJson.length,
    });
    // the local header of the Chinese name has general purpose bit 11 (UTF-8) set
    const at = Buffer.from(zip).indexOf(Buffer.from('documents/受理通知书.pdf'));
    expect(Buffer.from(zip).readUInt32LE(at - 30)).toBe(0x04034b50);
    expect(Buffer.from(zip).readUInt16LE(at - 30 + 6) & 0x0800).toBe(0x0800);
    expect(verifyArchive(zip)).toEqual({ ok: true, problems: [], manifest });
  });

  it('gives identical bytes for the same input, in any order and any time zone of the process', () => {
    const a = buildArchive('420106-2026-000001', createdAt, entries());
    const b = buildArchive('420106-2026-000001', createdAt, [...entries()].reverse());
    expect(Buffer.from(b.zip).equals(Buffer.from(a.zip))).toBe(true);
    expect(b.sha256).toBe(a.sha256);
    const c = buildArchive('420106-2026-000001', '2026-11-23T02:15:32.000Z', entries());
    expect(c.sha256).not.toBe(a.sha256);
    // entry times are the Shanghai wall clock of createdAt, whatever TZ this process runs in
    const script = `import { buildArchive } from ${JSON.stringify(new URL('./archive-zip.ts', import.meta.url).pathname)};
      const e = [{ path: 'a/甲.txt', bytes: new Uint8Array([1, 2, 3]) }];
      process.stdout.write(buildArchive('X-1', ${JSON.stringify(createdAt)}, e).sha256);`;
    const run = (tz: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        env: { ...process.env, TZ: tz },
        encoding: 'utf8',
      }).stdout;
    const ny = run('America/New_York');
    expect(ny).toMatch(/^[0-9a-f]{64}$/);
    expect(run('Asia/Shanghai')).toBe(ny);
  });

  it('names a tampered, a missing and an extra entry', () => {
    const { zip } = buildArchive('420106-2026-000001', createdAt, entries());
    const files = unzipSync(zip);
    files['documents/受理通知书.pdf'] = strToU8('%PDF-1.7 forged');
    delete files['history.json'];
    files['materials/extra.txt'] = strToU8('slipped in');
    const result = verifyArchive(zipSync(files));
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      { path: 'documents/受理通知书.pdf', problem: 'hashMismatch' },
      { path: 'history.json', problem: 'missing' },
      { path: 'materials/extra.txt', problem: 'extra' },
    ]);
    expect(result.manifest?.caseNumber).toBe('420106-2026-000001');
  });

  it('reports a missing manifest for a ZIP without one and for bytes that are no ZIP', () => {
    expect(verifyArchive(zipSync({ 'a.txt': strToU8('a') }))).toEqual({
      ok: false,
      problems: [{ path: 'manifest.json', problem: 'missing' }],
      manifest: null,
    });
    expect(verifyArchive(strToU8('not a zip')).problems).toEqual([{ path: 'manifest.json', problem: 'missing' }]);
  });

  it('refuses duplicate and unsafe paths with VALIDATION_FAILED', () => {
    const bytes = new Uint8Array([1]);
    for (const path of [
      '../evil.txt',
      'documents/../../evil.txt',
      '/etc/passwd',
      'C:/x.txt',
      'documents\\a.pdf',
      'a//b',
      './a',
      '',
      'manifest.json',
    ]) {
      const e = thrown(() => buildArchive('X-1', createdAt, [{ path, bytes }]));
      expect(e.code, path).toBe('VALIDATION_FAILED');
      expect(e.details[0]?.path).toBe('entries.0.path');
    }
    const dup = thrown(() =>
      buildArchive('X-1', createdAt, [
        { path: 'a.txt', bytes },
        { path: 'a.txt', bytes },
      ]),
    );
    expect(dup.details).toEqual([{ path: 'entries.1.path', message: 'entry path "a.txt" appears twice' }]);
    expect(thrown(() => buildArchive('X-1', 'yesterday', [])).details[0]?.path).toBe('createdAt');
    expect(thrown(() => buildArchive(' ', createdAt, [])).details[0]?.path).toBe('caseNumber');
  });

  it.runIf(hasUnzip)('keeps Chinese names for unzip (UTF-8 flag, made by Unix, readable files)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'guotu-archive-'));
    try {
      const file = join(dir, 'a.zip');
      writeFileSync(file, buildArchive('420106-2026-000001', createdAt, entries()).zip);
      const listed = spawnSync('unzip', ['-Z1', file], {
        encoding: 'utf8',
        env: { ...process.env, LC_ALL: 'C.UTF-8' },
      });
      expect(listed.stdout.trim().split('\n')).toEqual([
        'manifest.json',
        'case.json',
        'documents/受理通知书.pdf',
        'history.json',
        'materials/boundaryCoordinates/0-界址点坐标.txt',
      ]);
      const test = spawnSync('unzip', ['-t', file], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
      expect(test.stdout).toContain('No errors detected');
      const verbose = spawnSync('unzip', ['-l', file], {
        encoding: 'utf8',
        env: { ...process.env, LC_ALL: 'C.UTF-8' },
      });
      expect(verbose.stdout).toContain('2026-11-23 10:15');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
