import { testdataDir } from '../../../../../packages/spatial/test/testdata.ts';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';
import * as repo from './repository.ts';
import { blobStoreOf } from './service.ts';
import { multipartBody, pdfBytes, pngBytes } from './test-files.ts';

const coordFile = path.join(testdataDir, 'coordfiles/01_Windr07_Txt-ShpConverter_SampleData.txt');

describe.each(engines)('attachments on %s', (engine) => {
  let t: TestApp;
  let window: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(engine, { config: { BLOB_MAX_MB: '1' } });
    window = (await t.login('window')).headers;
  }, 120_000);
  afterAll(async () => t.close());

  const upload = async (headers: Record<string, string>, filename: string, data: Buffer) => {
    const body = multipartBody([{ name: 'file', filename, data }]);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/blobs',
      headers: { ...headers, ...body.headers },
      payload: body.payload,
    });
    return {
      status: response.statusCode,
      body: response.json<{
        id: number;
        sha256: string;
        size: number;
        type: string;
        originalName: string;
        code?: string;
      }>(),
    };
  };

  it('detects a PNG named .pdf as a PNG and keeps the name it came with', async () => {
    const sent = await upload(window, '呈报说明书.pdf', pngBytes());
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ type: 'png', originalName: '呈报说明书.pdf', size: pngBytes().length });
    const download = await t.app.inject({ method: 'GET', url: `/api/v1/blobs/${sent.body.id}`, headers: window });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.rawPayload.equals(pngBytes())).toBe(true);
  });

  it('stores the same bytes once, with one reference per upload', async () => {
    const pdf = pdfBytes('dedupe');
    const a = await upload(window, 'a.pdf', pdf);
    const b = await upload(window, 'b.PDF', pdf);
    expect(a.body.sha256).toBe(b.body.sha256);
    expect(a.body.id).not.toBe(b.body.id);
    expect(await repo.countBlobs(t.ctx.database.db, a.body.sha256)).toEqual({ blobs: 1, refs: 2 });
    const file = blobStoreOf(t.ctx.config.dataDir).pathOf(a.body.sha256);
    expect(existsSync(file)).toBe(true);
    expect(readdirSync(path.dirname(file))).toEqual([a.body.sha256]);
  });

  it('takes a real GBK coordinate file as a coordinate file', async () => {
    const sent = await upload(window, 'boundary.dat', readFileSync(coordFile));
    expect(sent.body).toMatchObject({ type: 'coordinates' });
  });

  it('refuses a binary whatever its name, and a file over the size limit; nothing is stored', async () => {
    const exe = Buffer.concat([Buffer.from('MZ', 'latin1'), Buffer.alloc(200, 0)]);
    const refused = await upload(window, 'scan.pdf', exe);
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('VALIDATION_FAILED');
    const big = Buffer.concat([pdfBytes(), Buffer.alloc(1024 * 1024 + 10, 0x20)]);
    expect((await upload(window, 'big.pdf', big)).status).toBe(400);
    expect(readdirSync(path.join(t.ctx.config.dataDir, 'blobs', 'tmp'))).toEqual([]);
  });

  it('lets the uploader and case.read holders download; others get 404, strangers 401', async () => {
    const sent = await upload(window, 'x.pdf', pdfBytes('access'));
    const geohazard = (await t.login('geohazard')).headers; // neither uploader nor case.read
    const handler = (await t.login('handler')).headers; // case.read
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/blobs/${sent.body.id}`, headers: handler })).statusCode,
    ).toBe(200);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/blobs/${sent.body.id}`, headers: geohazard })).statusCode,
    ).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/blobs/${sent.body.id}` })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/blobs/999999', headers: handler })).statusCode).toBe(404);
    const body = multipartBody([{ name: 'file', filename: 'x.pdf', data: pdfBytes() }]);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/blobs', headers: body.headers, payload: body.payload }))
        .statusCode,
    ).toBe(401);
  });
});
