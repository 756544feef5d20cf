import type { CoordinateIssue } from './model.ts';

export interface DecodedText {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';
  bom: boolean;
}

const tryDecode = (label: string, bytes: Uint8Array): string | undefined => {
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    return undefined; // not this encoding; the caller tries the next one
  }
};

/**
 * Decodes by byte-order mark, then strict UTF-8, then GB18030 (a superset of GBK and
 * GB2312). Files with NUL bytes outside UTF-16 are binary, not text.
 */
export function decodeText(bytes: Uint8Array): DecodedText | CoordinateIssue {
  const [b0, b1, b2] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) {
    const text = tryDecode('utf-8', bytes.subarray(3));
    if (text !== undefined) return { text, encoding: 'utf-8', bom: true };
  } else if (b0 === 0xff && b1 === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le', bom: true };
  } else if (b0 === 0xfe && b1 === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be', bom: true };
  }
  if (bytes.includes(0)) return unreadable(bytes, 'the file contains NUL bytes: it is binary, not text');
  const utf8 = tryDecode('utf-8', bytes);
  if (utf8 !== undefined) return { text: utf8, encoding: 'utf-8', bom: false };
  const gb = tryDecode('gb18030', bytes);
  if (gb !== undefined) return { text: gb, encoding: 'gb18030', bom: false };
  return unreadable(bytes, 'the text is neither UTF-8 nor GB18030/GBK');
}

/** The first line whose bytes decode under neither encoding, for the error's line number. */
function unreadable(bytes: Uint8Array, why: string): CoordinateIssue {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    const end = i === bytes.length || bytes[i] === 0x0a || bytes[i] === 0x0d;
    if (!end) continue;
    const slice = bytes.subarray(start, i);
    if (slice.includes(0) || (tryDecode('utf-8', slice) === undefined && tryDecode('gb18030', slice) === undefined))
      break;
    if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) i++;
    line++;
    start = i + 1;
  }
  return { line, code: 'UNREADABLE_ENCODING', message: `${why} (first bad bytes on line ${line})` };
}

export function isIssue(x: DecodedText | CoordinateIssue): x is CoordinateIssue {
  return 'code' in x;
}

/** Splits on CRLF, LF or a lone CR (old Mac files and the tail of some GBK exports). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}

const fullWidth: Record<string, string> = {
  '，': ',',
  '【': '[',
  '】': ']',
  '［': '[',
  '］': ']',
  '＝': '=',
  '．': '.',
  '－': '-',
  '＋': '+',
  '＠': '@',
  '：': ':',
  '\u3000': ' ',
};

/** Full-width punctuation and digits to ASCII, as typed on Chinese keyboards. */
export function normaliseLine(line: string): string {
  return line
    .replace(/[，【】［］＝．－＋＠：\u3000]/g, (c) => fullWidth[c] ?? c)
    .replace(/[０-９Ａ-Ｚａ-ｚ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/^\uFEFF/, '')
    .trim();
}
