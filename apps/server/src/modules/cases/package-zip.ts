/**
 * Reads a ZIP package an applicant (or the window) uploads at intake (docs/cases.md, `POST
 * /{id}/package`) into its files, without trusting anything the ZIP says.
 *
 * - Sizes: the declared size of every entry and their sum are checked against the limits before
 *   anything is inflated, and inflating stops as soon as an entry gives more than it declared
 *   (zlib's `maxOutputLength`), so a bomb is refused after at most the declared size — never
 *   after inflating it. The actual size and CRC-32 must match the declaration.
 * - Refused: encrypted entries, compression other than stored/deflate, symbolic links, paths that
 *   are absolute or leave the package (`..`), duplicate paths, more files than `maxEntries`.
 * - Skipped: directories, `__MACOSX/…`, `.DS_Store`, `._*` (AppleDouble), `Thumbs.db`, `desktop.ini`.
 * - Names: UTF-8 when the entry says so (bit 11, or an Info-ZIP Unicode Path field); else plain
 *   ASCII; else UTF-8 when the bytes are valid UTF-8 (Info-ZIP `zip` on Linux/macOS writes UTF-8
 *   without the flag); else GB18030, what Windows in Chinese (code page 936) writes.
 *
 * Every refusal is `VALIDATION_FAILED` with the entry's path in `details[].path`.
 */
import { inflateRawSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { AppError } from '@guotu/domain';

export interface PackageEntry {
  /** normalised path inside the package, `/`-separated, e.g. `土地权属证明/证书.pdf` */
  path: string;
  /** the file name (last segment of the path) */
  name: string;
  bytes: Uint8Array;
}

export interface PackageLimits {
  /** files kept (skipped entries do not count) */
  maxEntries: number;
  /** sum of the uncompressed sizes of the files kept */
  maxTotalBytes: number;
  /** uncompressed size of one file */
  maxEntryBytes: number;
}

const sigEocd = 0x06054b50;
const sigZip64Locator = 0x07064b50;
const sigZip64Eocd = 0x06064b50;
const sigCentral = 0x02014b50;
const sigLocal = 0x04034b50;
const max32 = 0xffffffff;

function refuse(path: string, message: string): never {
  throw new AppError('VALIDATION_FAILED', `package: ${path === '' ? message : `${path}: ${message}`}`, [
    { path, message },
  ]);
}

let crcTable: Uint32Array | undefined;
function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const b of bytes) crc = crcTable[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
function tryUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

interface Extra {
  id: number;
  data: Uint8Array;
}
function extras(bytes: Uint8Array): Extra[] {
  const out: Extra[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let p = 0; p + 4 <= bytes.length;) {
    const id = view.getUint16(p, true);
    const len = view.getUint16(p + 2, true);
    if (p + 4 + len > bytes.length) break;
    out.push({ id, data: bytes.subarray(p + 4, p + 4 + len) });
    p += 4 + len;
  }
  return out;
}

function decodeName(raw: Uint8Array, utf8Flag: boolean, extra: Extra[]): string | null {
  if (utf8Flag) return tryUtf8(raw);
  // Info-ZIP Unicode Path Extra Field (0x7075): version 1, CRC-32 of the header name, UTF-8 name
  const unicode = extra.find((e) => e.id === 0x7075);
  if (unicode && unicode.data.length > 5 && unicode.data[0] === 1) {
    const dv = new DataView(unicode.data.buffer, unicode.data.byteOffset, unicode.data.byteLength);
    if (dv.getUint32(1, true) === crc32(raw)) {
      const name = tryUtf8(unicode.data.subarray(5));
      if (name !== null) return name;
    }
  }
  if (raw.every((b) => b < 0x80)) return String.fromCharCode(...raw);
  return tryUtf8(raw) ?? iconv.decode(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), 'gb18030');
}

/** The normalised path, or a reason to refuse it. */
function normalise(name: string): { path: string; dir: boolean } | { problem: string } {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return { problem: 'the name contains a control character' };
  // backslashes are replaced after decoding: a GB18030 trail byte may be 0x5C
  const slashed = name.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) return { problem: 'the path is absolute' };
  const segments = slashed.split('/');
  if (segments.some((s) => s === '..')) return { problem: 'the path leaves the package (..)' };
  const kept = segments.filter((s) => s !== '' && s !== '.');
  return { path: kept.join('/'), dir: slashed.endsWith('/') || kept.length === 0 };
}

const junkNames = new Set(['.ds_store', 'thumbs.db', 'desktop.ini']);
function isJunk(path: string): boolean {
  const segments = path.split('/');
  const name = (segments[segments.length - 1] ?? '').toLowerCase();
  return segments[0] === '__MACOSX' || junkNames.has(name) || name.startsWith('._');
}

interface CentralRecord {
  path: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  isDir: boolean;
  isSymlink: boolean;
}

/** Reads the files of a ZIP package, refusing what is unsafe; see the module comment. */
export function readPackage(zip: Uint8Array, limits: PackageLimits): PackageEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const u16 = (p: number) => view.getUint16(p, true);
  const u32 = (p: number) => view.getUint32(p, true);
  const u64 = (p: number) => {
    const v = view.getBigUint64(p, true);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
  };

  // End of central directory: the last signature within the trailing 22 + 65535 bytes.
  let eocd = -1;
  for (let p = zip.length - 22; p >= 0 && p >= zip.length - 22 - 0xffff; p--) {
    if (u32(p) === sigEocd) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) refuse('', 'not a ZIP file');
  if (u16(eocd + 4) !== 0 || u16(eocd + 6) !== 0) refuse('', 'multi-volume ZIP files are not accepted');
  let count = u16(eocd + 10);
  let cdSize = u32(eocd + 12);
  let cdOffset = u32(eocd + 16);
  if (count === 0xffff || cdSize === max32 || cdOffset === max32) {
    const loc = eocd - 20;
    if (loc >= 0 && u32(loc) === sigZip64Locator) {
      const z = u64(loc + 8);
      if (z + 56 > zip.length || u32(z) !== sigZip64Eocd) refuse('', 'the ZIP64 directory is damaged');
      count = u64(z + 32);
      cdSize = u64(z + 40);
      cdOffset = u64(z + 48);
    }
  }
  if (cdOffset + cdSize > zip.length) refuse('', 'the ZIP directory lies outside the file (truncated?)');

  // The central directory: names, sizes and where each entry's data is.
  const records: CentralRecord[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > zip.length || u32(p) !== sigCentral) refuse('', 'the ZIP directory is damaged');
    const madeBy = u16(p + 4) >> 8;
    const flags = u16(p + 8);
    const method = u16(p + 10);
    const crc = u32(p + 16);
    let compressedSize = u32(p + 20);
    let size = u32(p + 24);
    const nameLen = u16(p + 28);
    const extraLen = u16(p + 30);
    const commentLen = u16(p + 32);
    const external = u32(p + 38);
    let localOffset = u32(p + 42);
    if (p + 46 + nameLen + extraLen + commentLen > zip.length) refuse('', 'the ZIP directory is damaged');
    const rawName = zip.subarray(p + 46, p + 46 + nameLen);
    const extra = extras(zip.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen));
    p += 46 + nameLen + extraLen + commentLen;

    const zip64 = extra.find((e) => e.id === 0x0001);
    if (zip64) {
      const zv = new DataView(zip64.data.buffer, zip64.data.byteOffset, zip64.data.byteLength);
      let at = 0;
      const next = () => {
        if (at + 8 > zv.byteLength) return Number.MAX_SAFE_INTEGER;
        const v = zv.getBigUint64(at, true);
        at += 8;
        return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
      };
      if (size === max32) size = next();
      if (compressedSize === max32) compressedSize = next();
      if (localOffset === max32) localOffset = next();
    }

    const decoded = decodeName(rawName, (flags & 0x0800) !== 0, extra);
    const shownName = decoded ?? `#${i + 1}`;
    if (decoded === null) refuse(shownName, 'the name is marked UTF-8 but is not');
    const norm = normalise(shownName);
    if ('problem' in norm) return refuse(shownName, norm.problem);
    const unixType = madeBy === 3 ? (external >>> 16) & 0o170000 : 0;
    records.push({
      path: norm.path,
      flags,
      method,
      crc,
      compressedSize,
      size,
      localOffset,
      isDir: norm.dir || unixType === 0o040000 || ((external & 0x10) !== 0 && size === 0),
      isSymlink: unixType === 0o120000,
    });
  }

  // What is kept, refused before anything is inflated.
  const kept: CentralRecord[] = [];
  const seen = new Set<string>();
  let declaredTotal = 0;
  for (const r of records) {
    if (r.isDir || isJunk(r.path)) continue;
    if (r.isSymlink) refuse(r.path, 'symbolic links are not accepted');
    if ((r.flags & 0x0001) !== 0 || (r.flags & 0x0040) !== 0 || r.method === 99)
      refuse(r.path, 'the file is encrypted (password-protected); upload it without a password');
    if (r.method !== 0 && r.method !== 8)
      refuse(r.path, `compression method ${r.method} is not supported (use ordinary ZIP deflate)`);
    if (seen.has(r.path)) refuse(r.path, 'the path appears twice in the package');
    seen.add(r.path);
    if (kept.length + 1 > limits.maxEntries) refuse(r.path, `the package has more than ${limits.maxEntries} files`);
    if (r.size > limits.maxEntryBytes) refuse(r.path, `the file is larger than ${limits.maxEntryBytes} bytes`);
    declaredTotal += r.size;
    if (declaredTotal > limits.maxTotalBytes)
      refuse(r.path, `the files together are larger than ${limits.maxTotalBytes} bytes`);
    if (r.method === 0 && r.compressedSize !== r.size) refuse(r.path, 'the stored size does not match');
    kept.push(r);
  }

  // Inflate, never past the declared size (itself within the limits).
  const out: PackageEntry[] = [];
  for (const r of kept) {
    const lh = r.localOffset;
    if (lh + 30 > zip.length || u32(lh) !== sigLocal) refuse(r.path, 'the entry header is damaged');
    const start = lh + 30 + u16(lh + 26) + u16(lh + 28);
    const end = start + r.compressedSize;
    if (end > zip.length) refuse(r.path, 'the entry data is truncated');
    const data = zip.subarray(start, end);
    let bytes: Uint8Array;
    if (r.method === 0) bytes = data.slice();
    else {
      try {
        const inflated = inflateRawSync(data, { maxOutputLength: Math.max(1, r.size) });
        bytes = new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
      } catch (e) {
        const tooLarge = (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
        return refuse(
          r.path,
          tooLarge ? `the file inflates beyond its declared size of ${r.size} bytes` : 'the compressed data is damaged',
        );
      }
    }
    if (bytes.length !== r.size) refuse(r.path, `the file has ${bytes.length} bytes, not the declared ${r.size}`);
    if (crc32(bytes) !== r.crc) refuse(r.path, 'the file is damaged (CRC-32 mismatch)');
    const segments = r.path.split('/');
    out.push({ path: r.path, name: segments[segments.length - 1] ?? r.path, bytes });
  }
  return out;
}
