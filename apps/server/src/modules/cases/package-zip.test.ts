import { deflateRawSync } from 'node:zlib';
import { strFromU8, strToU8, zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { AppError } from '@guotu/domain';
import { buildArchive } from './archive-zip.ts';
import { readPackage } from './package-zip.ts';

const limits = { maxEntries: 20, maxTotalBytes: 1_000_000, maxEntryBytes: 200_000 };

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) crc = crcTable[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

interface RawEntry {
  /** the name bytes as stored (GBK, UTF-8 …) */
  name: Uint8Array | string;
  data?: Uint8Array;
  /** 0 stored, 8 deflate; anything else is written as stored bytes under that method number */
  method?: number;
  /** general purpose flags; bit 11 (0x800) = UTF-8 name, bit 0 = encrypted */
  flags?: number;
  /** the uncompressed size the ZIP claims (defaults to the true size) */
  declaredSize?: number;
  madeBy?: number;
  externalAttrs?: number;
}

/** A ZIP written byte by byte, so a test can make it say what real tools (or attackers) say. */
function rawZip(entries: RawEntry[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = typeof e.name === 'string' ? Buffer.from(e.name, 'utf8') : Buffer.from(e.name);
    const data = e.data ?? new Uint8Array();
    const method = e.method ?? 8;
    const body = method === 8 ? deflateRawSync(data) : Buffer.from(data);
    const size = e.declaredSize ?? data.length;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.flags ?? 0, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0x5a6f, 10); // 11:19:30
    local.writeUInt16LE(0x5d77, 12); // 2026-11-23
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(((e.madeBy ?? 0) << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(e.flags ?? 0, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0x5a6f, 12);
    central.writeUInt16LE(0x5d77, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((e.externalAttrs ?? 0) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, cd, end]));
}

function refused(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

const gbk = (s: string) => new Uint8Array(iconv.encode(s, 'gbk'));

describe('intake ZIP packages', () => {
  it('reads files with UTF-8 names and skips directories and OS clutter', () => {
    const zip = zipSync({
      '建设用地规划许可申请表.pdf': strToU8('%PDF form'),
      土地权属证明: { '不动产权证书.pdf': strToU8('%PDF cert') },
      '__MACOSX/土地权属证明/._不动产权证书.pdf': strToU8('apple double'),
      '.DS_Store': strToU8('finder'),
      '土地权属证明/Thumbs.db': strToU8('thumbs'),
    });
    const files = readPackage(zip, limits);
    expect(files.map((f) => [f.path, f.name, strFromU8(f.bytes)])).toEqual([
      ['建设用地规划许可申请表.pdf', '建设用地规划许可申请表.pdf', '%PDF form'],
      ['土地权属证明/不动产权证书.pdf', '不动产权证书.pdf', '%PDF cert'],
    ]);
  });

  it('decodes GBK names from Chinese Windows, unflagged UTF-8 from Info-ZIP, and flagged UTF-8', () => {
    const zip = rawZip([
      // Windows "发送到 → 压缩文件夹" in Chinese: code page 936 names, no UTF-8 flag, backslashes
      { name: gbk('界址点坐标\\宗地1界址点成果表.txt'), data: strToU8('J1,1,2') },
      { name: gbk('申请材料/立项批复文件.pdf'), data: strToU8('%PDF approval'), method: 0 },
      { name: '规划条件/规划设计条件.pdf', data: strToU8('%PDF conditions') },
      { name: '授权委托书.pdf', data: strToU8('%PDF proxy'), flags: 0x0800 },
      { name: 'readme.txt', data: strToU8('ascii') },
    ]);
    expect(readPackage(zip, limits).map((f) => [f.path, f.name])).toEqual([
      ['界址点坐标/宗地1界址点成果表.txt', '宗地1界址点成果表.txt'],
      ['申请材料/立项批复文件.pdf', '立项批复文件.pdf'],
      ['规划条件/规划设计条件.pdf', '规划设计条件.pdf'],
      ['授权委托书.pdf', '授权委托书.pdf'],
      ['readme.txt', 'readme.txt'],
    ]);
  });

  it('decodes a GBK name whose trail byte is a backslash (0x5C) as one character', () => {
    // GBK trail bytes include 0x5C: 誠 is D5 5C. Splitting the raw bytes on backslashes would
    // cut it in two; the name is decoded first.
    const name = gbk('誠信承诺书.txt');
    expect([...name]).toContain(0x5c);
    expect(readPackage(rawZip([{ name, data: strToU8('x') }]), limits).map((f) => f.path)).toEqual(['誠信承诺书.txt']);
  });

  it('reads the data-descriptor ZIPs fflate streams (our own archive packages)', () => {
    const { zip } = buildArchive('X-1', '2026-11-23T02:00:00Z', [
      { path: 'documents/受理通知书.pdf', bytes: strToU8('pdf') },
    ]);
    expect(readPackage(zip, limits).map((f) => f.path)).toEqual(['manifest.json', 'documents/受理通知书.pdf']);
  });

  it('refuses path traversal and absolute paths, naming the entry', () => {
    for (const name of [
      '../../etc/passwd',
      '材料/../../逃逸.txt',
      '..\\..\\windows\\win.ini',
      '/etc/passwd',
      'C:\\boot.ini',
    ]) {
      const e = refused(() => readPackage(rawZip([{ name, data: strToU8('x') }]), limits));
      expect(e.code, name).toBe('VALIDATION_FAILED');
      expect(e.details[0]?.path).toBe(name);
    }
  });

  it('refuses encrypted entries, symbolic links, other compression methods and duplicates', () => {
    const enc = refused(() => readPackage(rawZip([{ name: '密.pdf', data: strToU8('x'), flags: 0x0801 }]), limits));
    expect(enc.details).toEqual([{ path: '密.pdf', message: expect.stringContaining('encrypted') as string }]);
    const link = refused(() =>
      readPackage(
        rawZip([{ name: 'link', data: strToU8('/etc/passwd'), madeBy: 3, externalAttrs: 0o120777 << 16 }]),
        limits,
      ),
    );
    expect(link.details[0]?.message).toContain('symbolic link');
    const dup = refused(() =>
      readPackage(
        rawZip([
          { name: 'a/b.pdf', data: strToU8('1') },
          { name: 'a\\b.pdf', data: strToU8('2') },
        ]),
        limits,
      ),
    );
    expect(dup.details[0]).toMatchObject({ path: 'a/b.pdf', message: expect.stringContaining('twice') as string });
    const bzip2 = refused(() => readPackage(rawZip([{ name: 'a.pdf', data: strToU8('x'), method: 12 }]), limits));
    expect(bzip2.details[0]).toMatchObject({ path: 'a.pdf', message: expect.stringContaining('method 12') as string });
    const notZip = refused(() => readPackage(strToU8('PK not really'), limits));
    expect(notZip.code).toBe('VALIDATION_FAILED');
  });

  it('refuses a bomb by its declared size before inflating, and a lying one while inflating', () => {
    // honest: declares 20 MB
    const zeros = new Uint8Array(20_000_000);
    const big = refused(() => readPackage(rawZip([{ name: '大文件.bin', data: zeros }]), limits));
    expect(big.details[0]).toMatchObject({
      path: '大文件.bin',
      message: expect.stringContaining('larger than 200000') as string,
    });
    // lying: declares 1 000 bytes, inflates to 20 MB; stopped once it passes the declared size
    const lying = rawZip([{ name: 'bomb/炸弹.txt', data: zeros, declaredSize: 1000 }]);
    expect(lying.length).toBeLessThan(50_000);
    const started = process.memoryUsage().arrayBuffers;
    const e = refused(() => readPackage(lying, limits));
    expect(e.details[0]).toMatchObject({
      path: 'bomb/炸弹.txt',
      message: expect.stringContaining('beyond its declared size') as string,
    });
    expect(process.memoryUsage().arrayBuffers - started).toBeLessThan(5_000_000);
  });

  it('refuses too many files and too many bytes together, counting only the files kept', () => {
    const many = Object.fromEntries(
      Array.from({ length: 21 }, (_, i) => [`f${String(i).padStart(2, '0')}.txt`, strToU8('x')]),
    );
    const tooMany = refused(() => readPackage(zipSync(many), limits));
    expect(tooMany.details[0]?.path).toBe('f20.txt');
    const withClutter = {
      ...Object.fromEntries(Object.entries(many).slice(0, 20)),
      '__MACOSX/._f00.txt': strToU8('x'),
    };
    expect(readPackage(zipSync(withClutter), limits)).toHaveLength(20);
    const chunk = new Uint8Array(150_000);
    const tooBig = refused(() =>
      readPackage(zipSync(Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`p${i}.bin`, chunk]))), limits),
    );
    expect(tooBig.details[0]).toMatchObject({ path: 'p6.bin', message: expect.stringContaining('together') as string });
  });

  it('refuses a damaged entry (CRC mismatch)', () => {
    const zip = rawZip([{ name: 'a.txt', data: strToU8('hello world'), method: 0 }]);
    zip[30 + 5] = 'W'.charCodeAt(0);
    expect(refused(() => readPackage(zip, limits)).details[0]).toMatchObject({
      path: 'a.txt',
      message: expect.stringContaining('CRC') as string,
    });
  });
});
