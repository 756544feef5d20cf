/**
 * The archive package of a case (docs/cases.md "Archive package"): a ZIP with `manifest.json`
 * first (every entry's path, SHA-256 and size), then the entries sorted by path. The same input
 * gives the same bytes: fixed entry order, fixed compression level, and every entry's
 * modification time taken from `createdAt` (Asia/Shanghai wall clock, as ZIP stores local time).
 *
 * Names are written as UTF-8 with the ZIP "language encoding" flag (general purpose bit 11) set
 * on every non-ASCII name, so Windows Explorer, 7-Zip, macOS and Info-ZIP show 受理通知书.pdf
 * rather than mojibake.
 *
 * `verifyArchive` checks the package against its own manifest. The manifest sits inside the
 * package, so whoever rewrites an entry can rewrite the manifest too: the package's SHA-256
 * stored on the case (`archive_sha256`) is what proves the package is the one archived.
 */
import { createHash } from 'node:crypto';
import { unzipSync, Zip, ZipDeflate } from 'fflate';
import { AppError, type AppErrorDetail } from '@guotu/domain';

export interface ArchiveEntry {
  /** e.g. `documents/受理通知书.pdf`: `/`-separated, relative, no `.`/`..` segments */
  path: string;
  bytes: Uint8Array;
}

export interface ArchiveManifest {
  format: 'guotu-case-archive/1';
  caseNumber: string;
  createdAt: string;
  entries: Array<{ path: string; sha256: string; size: number }>;
}

export interface ArchiveProblem {
  path: string;
  problem: 'missing' | 'extra' | 'hashMismatch';
}

const manifestPath = 'manifest.json';
const archiveFormat = 'guotu-case-archive/1';
const level = 6;
const shanghaiOffsetMs = 8 * 3600 * 1000;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Why `path` cannot name an entry of the package, or null when it can. */
function pathProblem(path: string): string | null {
  if (typeof path !== 'string' || path.length === 0) return 'is empty';
  if (path.length > 1024) return 'is longer than 1024 characters';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'contains a control character';
  if (path.includes('\\')) return 'contains a backslash (use /)';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'is absolute';
  const segments = path.split('/');
  if (segments.some((s) => s === '..')) return 'leaves the package (..)';
  if (segments.some((s) => s === '' || s === '.')) return 'has an empty or "." segment';
  if (path === manifestPath) return 'is reserved for the manifest';
  return null;
}

/**
 * The ZIP stores local time in MS-DOS fields and fflate fills them from the Date's local-time
 * getters: a Date whose local fields are the Shanghai wall clock gives the same bytes whatever
 * the process's TZ (barring a daylight-saving gap in that TZ; Asia/Shanghai and UTC have none).
 */
function zipTime(createdAt: string): Date {
  const ms = Date.parse(createdAt);
  const w = new Date(ms + shanghaiOffsetMs);
  return new Date(
    w.getUTCFullYear(),
    w.getUTCMonth(),
    w.getUTCDate(),
    w.getUTCHours(),
    w.getUTCMinutes(),
    w.getUTCSeconds(),
  );
}

function zipInOrder(files: Array<{ path: string; bytes: Uint8Array }>, mtime: Date): Uint8Array {
  const chunks: Uint8Array[] = [];
  const state: { failure: Error | null } = { failure: null };
  // fflate's streaming Zip keeps the order the files are added in (zipSync takes an object,
  // whose integer-like keys JavaScript would move to the front). Everything here is synchronous.
  const zip = new Zip((err, chunk) => {
    if (err) state.failure = err;
    else chunks.push(chunk);
  });
  for (const f of files) {
    const entry = new ZipDeflate(f.path, { level });
    // made by Unix (3) with mode rw-r--r--: Info-ZIP unzip converts the names of entries made by
    // MS-DOS (fflate's default, 0) from the OEM code page, which garbles UTF-8 names, and
    // extracts mode-0 files unreadable. Windows Explorer and 7-Zip read bit 11 either way.
    entry.os = 3;
    entry.attrs = 0o100644 << 16;
    entry.mtime = mtime;
    zip.add(entry);
    entry.push(f.bytes, true);
  }
  zip.end();
  if (state.failure) throw new AppError('INTERNAL', `archive could not be written: ${state.failure.message}`);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The package of a case: ZIP bytes, the manifest written into it, and the ZIP's SHA-256. */
export function buildArchive(
  caseNumber: string,
  createdAt: string,
  entries: ArchiveEntry[],
): { zip: Uint8Array; manifest: ArchiveManifest; sha256: string } {
  const details: AppErrorDetail[] = [];
  if (typeof caseNumber !== 'string' || caseNumber.trim() === '')
    details.push({ path: 'caseNumber', message: 'the case number is required' });
  const createdMs = typeof createdAt === 'string' ? Date.parse(createdAt) : NaN;
  if (!Number.isFinite(createdMs)) details.push({ path: 'createdAt', message: 'createdAt must be an ISO timestamp' });
  else {
    const year = new Date(createdMs + shanghaiOffsetMs).getUTCFullYear();
    if (year < 1980 || year > 2099)
      details.push({ path: 'createdAt', message: 'createdAt must fall in 1980–2099 (ZIP dates)' });
  }
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    const problem = pathProblem(e.path);
    if (problem) details.push({ path: `entries.${i}.path`, message: `entry path "${e.path}" ${problem}` });
    else if (seen.has(e.path))
      details.push({ path: `entries.${i}.path`, message: `entry path "${e.path}" appears twice` });
    else seen.add(e.path);
    if (!(e.bytes instanceof Uint8Array))
      details.push({ path: `entries.${i}.bytes`, message: 'entry bytes must be a Uint8Array' });
  });
  if (details.length > 0) throw new AppError('VALIDATION_FAILED', 'the archive package cannot be built', details);

  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const manifest: ArchiveManifest = {
    format: archiveFormat,
    caseNumber,
    createdAt,
    entries: sorted.map((e) => ({ path: e.path, sha256: sha256(e.bytes), size: e.bytes.length })),
  };
  const manifestBytes = new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
  const zip = zipInOrder([{ path: manifestPath, bytes: manifestBytes }, ...sorted], zipTime(createdAt));
  return { zip, manifest, sha256: sha256(zip) };
}

function readManifest(bytes: Uint8Array | undefined): ArchiveManifest | null {
  if (!bytes) return null;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const m = value as Record<string, unknown>;
  if (m.format !== archiveFormat || typeof m.caseNumber !== 'string' || typeof m.createdAt !== 'string') return null;
  if (!Array.isArray(m.entries)) return null;
  const ok = (m.entries as unknown[]).every((e) => {
    if (typeof e !== 'object' || e === null) return false;
    const r = e as Record<string, unknown>;
    return (
      typeof r.path === 'string' &&
      typeof r.sha256 === 'string' &&
      /^[0-9a-f]{64}$/.test(r.sha256) &&
      typeof r.size === 'number' &&
      Number.isSafeInteger(r.size)
    );
  });
  return ok ? (value as ArchiveManifest) : null;
}

/**
 * Checks every entry of a package against its manifest: entries listed but absent (`missing`),
 * present but not listed (`extra`), or with other bytes (`hashMismatch`). A package that is no
 * ZIP, or has no readable manifest, gives `manifest: null` and a `missing` manifest.json.
 */
export function verifyArchive(zip: Uint8Array): {
  ok: boolean;
  problems: ArchiveProblem[];
  manifest: ArchiveManifest | null;
} {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip);
  } catch {
    return { ok: false, problems: [{ path: manifestPath, problem: 'missing' }], manifest: null };
  }
  const manifest = readManifest(files[manifestPath]);
  if (!manifest) return { ok: false, problems: [{ path: manifestPath, problem: 'missing' }], manifest: null };
  const problems: ArchiveProblem[] = [];
  const listed = new Set<string>();
  for (const e of manifest.entries) {
    listed.add(e.path);
    const bytes = Object.hasOwn(files, e.path) ? files[e.path] : undefined;
    if (!bytes) problems.push({ path: e.path, problem: 'missing' });
    else if (bytes.length !== e.size || sha256(bytes) !== e.sha256)
      problems.push({ path: e.path, problem: 'hashMismatch' });
  }
  for (const path of Object.keys(files)) {
    if (path === manifestPath || path.endsWith('/') || listed.has(path)) continue;
    problems.push({ path, problem: 'extra' });
  }
  problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ok: problems.length === 0, problems, manifest };
}
