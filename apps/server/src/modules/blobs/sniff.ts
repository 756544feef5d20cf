import iconv from 'iconv-lite';

/**
 * File type by content, never by name (DESIGN §Storage: attachments checked on the way in).
 * Pure: takes the bytes it needs and answers a type or `undefined` (not accepted).
 *
 * | type        | how it is recognised |
 * |-------------|----------------------|
 * | pdf         | `%PDF-` at the start, or within the first 1024 bytes with `%%EOF` in the last 1024 (readers tolerate leading junk) |
 * | jpeg        | FF D8 FF |
 * | png         | 89 50 4E 47 0D 0A 1A 0A |
 * | tiff        | `II*\0` or `MM\0*` |
 * | ofd         | ZIP whose central directory has `OFD.xml` at the root (GB/T 33190-2016 §7.1) |
 * | docx        | ZIP with `[Content_Types].xml` and `word/document.xml` (ECMA-376 Part 2) |
 * | zip         | any other ZIP (local header `PK\3\4` or an empty archive `PK\5\6`) |
 * | coordinates | text with the ministry's sections `[属性描述]` / `[地块坐标]` (UTF-8 or GBK) |
 * | text        | other text: valid UTF-8 or GBK, no NUL, almost no control characters |
 */
export const blobTypes = ['pdf', 'ofd', 'jpeg', 'png', 'tiff', 'zip', 'docx', 'text', 'coordinates'] as const;
export type BlobType = (typeof blobTypes)[number];

export const mimeOf: Record<BlobType, string> = {
  pdf: 'application/pdf',
  ofd: 'application/ofd',
  jpeg: 'image/jpeg',
  png: 'image/png',
  tiff: 'image/tiff',
  zip: 'application/zip',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  text: 'text/plain; charset=utf-8',
  coordinates: 'text/plain; charset=utf-8',
};

/** Access to a file's bytes without loading it whole (a ZIP's directory is at its end). */
export interface ByteSource {
  size: number;
  read(offset: number, length: number): Promise<Buffer>;
}

export function bufferSource(data: Buffer): ByteSource {
  return { size: data.length, read: (offset, length) => Promise.resolve(data.subarray(offset, offset + length)) };
}

/** Text larger than this is not inspected as text (attachments in text form are small). */
export const MAX_TEXT_BYTES = 8 * 1024 * 1024;

export async function detectType(source: ByteSource): Promise<BlobType | undefined> {
  const head = await source.read(0, Math.min(source.size, 1024));
  if (head.length === 0) return undefined;
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06]))
    return zipKind(await zipEntryNames(source));
  const pdfAt = head.indexOf('%PDF-', 0, 'latin1');
  // leading junk is allowed (readers look 1 KB in), but then the file must also end like a PDF,
  // so a text that merely mentions "%PDF-" stays text
  if (
    pdfAt === 0 ||
    (pdfAt > 0 && (await source.read(Math.max(0, source.size - 1024), 1024)).includes('%%EOF', 0, 'latin1'))
  )
    return 'pdf';
  if (source.size <= MAX_TEXT_BYTES) return textKind(await source.read(0, source.size));
  return undefined;
}

function startsWith(data: Buffer, magic: readonly number[]): boolean {
  return magic.every((byte, i) => data[i] === byte);
}

function zipKind(names: readonly string[] | undefined): BlobType | undefined {
  if (!names) return undefined; // PK header but no readable directory: a broken or disguised file
  const set = new Set(names);
  if (set.has('OFD.xml')) return 'ofd';
  if (set.has('[Content_Types].xml') && set.has('word/document.xml')) return 'docx';
  return 'zip';
}

/**
 * Entry names from the ZIP central directory (APPNOTE 4.3.16 end record, 4.3.12 headers), or
 * undefined when it cannot be found. ZIP64 archives (more than 65,535 entries or 4 GB) are not
 * attachments we accept.
 */
export async function zipEntryNames(source: ByteSource): Promise<string[] | undefined> {
  const tailLength = Math.min(source.size, 22 + 0xffff);
  const tail = await source.read(source.size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i -= 1) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const count = tail.readUInt16LE(eocd + 10);
  const dirSize = tail.readUInt32LE(eocd + 12);
  const dirOffset = tail.readUInt32LE(eocd + 16);
  if (dirOffset + dirSize > source.size) return undefined;
  const dir = await source.read(dirOffset, dirSize);
  const names: string[] = [];
  let p = 0;
  for (let n = 0; n < count; n += 1) {
    if (p + 46 > dir.length || dir.readUInt32LE(p) !== 0x02014b50) return undefined;
    const flags = dir.readUInt16LE(p + 8);
    const nameLength = dir.readUInt16LE(p + 28);
    const extraLength = dir.readUInt16LE(p + 30);
    const commentLength = dir.readUInt16LE(p + 32);
    const raw = dir.subarray(p + 46, p + 46 + nameLength);
    // bit 11: UTF-8 names; otherwise Chinese tools write GBK
    names.push((flags & 0x800) !== 0 ? raw.toString('utf8') : iconv.decode(raw, 'gbk'));
    p += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The text of a file in UTF-8 (with or without BOM) or GBK, or undefined if it is not text. */
export function decodeText(data: Buffer): string | undefined {
  if (data.includes(0)) return undefined;
  let text: string | undefined;
  try {
    text = utf8.decode(data);
  } catch {
    const gbk = iconv.decode(data, 'gbk');
    text = gbk.includes('\uFFFD') ? undefined : gbk;
  }
  if (text === undefined) return undefined;
  // eslint-disable-next-line no-control-regex -- counting control characters is the point
  const controls = text.match(/[\u0001-\u0008\u000B\u000E-\u001F\u007F]/g)?.length ?? 0;
  return controls > text.length / 100 ? undefined : text.replace(/^\uFEFF/, '');
}

function textKind(data: Buffer): BlobType | undefined {
  const text = decodeText(data);
  if (text === undefined) return undefined;
  return /\[(属性描述|地块坐标)\]/.test(text) ? 'coordinates' : 'text';
}
