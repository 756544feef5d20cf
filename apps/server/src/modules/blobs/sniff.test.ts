import { testdataDir } from '../../../../../packages/spatial/test/testdata.ts';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferSource, detectType } from './sniff.ts';
import { docxBytes, ofdBytes, pdfBytes, pngBytes, zipBytes } from './test-files.ts';

const coordDir = path.join(testdataDir, 'coordfiles');
const detect = (data: Buffer) => detectType(bufferSource(data));

describe('type by content', () => {
  it('recognises PDF, PNG, JPEG and TIFF by their magic bytes', async () => {
    expect(await detect(pdfBytes())).toBe('pdf');
    expect(await detect(pngBytes())).toBe('png');
    expect(await detect(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]))).toBe('jpeg');
    expect(await detect(Buffer.from([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0]))).toBe('tiff');
    expect(await detect(Buffer.from([0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8]))).toBe('tiff');
    // a PDF after a little junk is a PDF; a note that mentions %PDF- is text
    expect(await detect(Buffer.concat([Buffer.from('junk\n'), pdfBytes()]))).toBe('pdf');
    expect(await detect(Buffer.from('PDF files start with %PDF-1.7 and a header line.\n'))).toBe('text');
  });

  it('tells OFD and DOCX from other ZIP archives by their entries', async () => {
    expect(await detect(ofdBytes())).toBe('ofd');
    expect(await detect(docxBytes())).toBe('docx');
    expect(await detect(zipBytes({ '一书四方案/呈报说明书.pdf': '%PDF-1.4' }))).toBe('zip');
    // a ZIP header on a truncated archive has no directory: not accepted
    expect(await detect(zipBytes({ 'a.txt': 'x' }).subarray(0, 40))).toBeUndefined();
  });

  it('reads every real coordinate file (GBK and UTF-8) as a coordinate file', async () => {
    const files = readdirSync(coordDir).filter((f) => f.endsWith('.txt'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) expect(await detect(readFileSync(path.join(coordDir, f))), f).toBe('coordinates');
  });

  it('accepts plain text and refuses binaries and empty files', async () => {
    expect(await detect(Buffer.from('界址点,X,Y\n1,3380000.1,38500000.2\n'))).toBe('text');
    expect(await detect(Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00', 'latin1'))).toBeUndefined();
    expect(await detect(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]))).toBeUndefined();
    expect(await detect(Buffer.alloc(0))).toBeUndefined();
  });
});
