import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '@guotu/domain';
import { parseConfig } from './config.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'guotu-config-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('configuration', () => {
  it('defaults to port 3000, ./data and the embedded database', () => {
    const cwd = tempDir();
    const config = parseConfig({}, cwd);
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe(path.join(cwd, 'data'));
    expect(config.databaseUrl).toBeNull();
    expect(config.logLevel).toBe('info');
  });

  it('generates a session secret once and keeps it in DATA_DIR', () => {
    const dir = tempDir();
    const first = parseConfig({ DATA_DIR: dir }, '/');
    const second = parseConfig({ DATA_DIR: dir }, '/');
    expect(first.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(second.sessionSecret).toBe(first.sessionSecret);
    expect(readFileSync(path.join(dir, 'session-secret'), 'utf8').trim()).toBe(first.sessionSecret);
  });

  it('lists every problem at once, naming each setting', () => {
    try {
      parseConfig(
        { PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', SESSION_TTL_HOURS: '0', TRUST_PROXY: 'maybe' },
        tempDir(),
      );
      expect.unreachable('should have thrown');
    } catch (error) {
      expect(isAppError(error) && error.code).toBe('CONFIG_INVALID');
      const paths = isAppError(error) ? error.details.map((d) => d.path) : [];
      expect(paths).toEqual(
        expect.arrayContaining(['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'SESSION_TTL_HOURS', 'TRUST_PROXY']),
      );
      expect(paths).toHaveLength(5);
    }
  });

  it('refuses a short session secret', () => {
    expect(() => parseConfig({ SESSION_SECRET: 'short', DATA_DIR: tempDir() }, '/')).toThrow(
      /configuration has 1 problem/,
    );
  });

  it('makes no demo cases unless DEMO_CASES is on (npm start turns it on)', () => {
    expect(parseConfig({ DATA_DIR: tempDir() }, '/').demoCases).toBe(false);
    expect(parseConfig({ DATA_DIR: tempDir(), DEMO_CASES: '' }, '/').demoCases).toBe(false);
    expect(parseConfig({ DATA_DIR: tempDir(), DEMO_CASES: 'true' }, '/').demoCases).toBe(true);
    expect(parseConfig({ DATA_DIR: tempDir(), DEMO_CASES: 'false' }, '/').demoCases).toBe(false);
    expect(() => parseConfig({ DATA_DIR: tempDir(), DEMO_CASES: 'sometimes' }, '/')).toThrow(
      /configuration has 1 problem/,
    );
  });

  it('marks cookies Secure behind a TLS-terminating proxy', () => {
    expect(parseConfig({ TRUST_PROXY: 'true', DATA_DIR: tempDir() }, '/').secureCookies).toBe(true);
    expect(parseConfig({ DATA_DIR: tempDir() }, '/').secureCookies).toBe(false);
  });
});
