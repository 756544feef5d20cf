/**
 * Splitting a text into SMS parts (3GPP TS 23.040 §9.2.3.24.1, concatenated short messages).
 * Pure: the SMPP client sends what this returns.
 *
 * - Texts made only of characters that mean the same in IA5/ASCII and the GSM 7-bit default
 *   alphabet go as data_coding 1: 160 characters in one message, 153 per part when concatenated.
 * - Everything else (Chinese) goes as UCS-2 (UTF-16BE), data_coding 8: 70 characters in one
 *   message, 67 per part (140 octets − 6 octets of UDH = 134 octets = 67 UTF-16 code units).
 * - A concatenated part starts with the UDH `05 00 03 ref total seq` and is sent with
 *   esm_class 0x40 (UDHI). A surrogate pair (an emoji) is never cut between two parts.
 */
export interface SmsPart {
  /** short_message octets, UDH included */
  payload: Buffer;
  dataCoding: 0x01 | 0x08;
  /** 0x40 when the payload starts with a UDH */
  esmClass: 0x00 | 0x40;
}

// Characters at the same code in ASCII and GSM 03.38 (no '@', '$', '_' and extension-table chars).
const GSM_SAFE = /^[A-Za-z0-9 \r\n.,:;!?'"()+\-*/=%&#<>]*$/;

export const UCS2_SINGLE = 70;
export const UCS2_PART = 67;
export const ASCII_SINGLE = 160;
export const ASCII_PART = 153;

export function isGsmSafe(text: string): boolean {
  return GSM_SAFE.test(text);
}

/** How many parts a text needs (shown in the outbox before it is sent). */
export function countSmsParts(text: string): number {
  return splitUnits(text).length;
}

function splitUnits(text: string): string[] {
  const ascii = isGsmSafe(text);
  const single = ascii ? ASCII_SINGLE : UCS2_SINGLE;
  const per = ascii ? ASCII_PART : UCS2_PART;
  if (text.length <= single) return [text];
  const chunks: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + per, text.length);
    // do not split a UTF-16 surrogate pair
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    chunks.push(text.slice(start, end));
    start = end;
  }
  return chunks;
}

/**
 * The parts of a message. `reference` (0–255) must be the same on every retry of one message
 * and differ between messages to the same phone sent close together; we use the outbox id.
 */
export function splitSms(text: string, reference: number): SmsPart[] {
  const ascii = isGsmSafe(text);
  const dataCoding = ascii ? 0x01 : 0x08;
  const encode = (s: string): Buffer => (ascii ? Buffer.from(s, 'ascii') : Buffer.from(s, 'utf16le').swap16());
  const chunks = splitUnits(text);
  if (chunks.length === 1) return [{ payload: encode(text), dataCoding, esmClass: 0x00 }];
  if (chunks.length > 255) throw new RangeError(`message needs ${chunks.length} parts; at most 255`);
  const ref = reference & 0xff;
  return chunks.map((chunk, i) => ({
    payload: Buffer.concat([Buffer.from([0x05, 0x00, 0x03, ref, chunks.length, i + 1]), encode(chunk)]),
    dataCoding,
    esmClass: 0x40,
  }));
}
