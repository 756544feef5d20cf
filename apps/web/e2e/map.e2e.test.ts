/**
 * Map–data linkage (issue 5) in real Chromium against the real server: the admin imports a
 * small synthetic land-use layer and a permanent-farmland layer through the API; a reviewer
 * opens 地图, uploads a real coordinate file (testdata/coordfiles/03, 佛山, EPSG:4526), runs
 * the analysis and reads the overlapped areas by class, the flag and the approval level.
 */
import { testdataDir } from '../../../packages/spatial/test/testdata.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFailed } from 'vitest';
import { screenshot, trackPageErrors } from './browser.ts';
import { journeyEnvironment, type JourneyEnvironment } from './journey.ts';

const demoPassword = 'Guotu@2026';
const coordFile = join(testdataDir, 'coordfiles/03_edcfoshan_polygon-txt_44120000105.txt');

const square = (x: number, y: number, s: number) => [
  [
    [x, y],
    [x + s, y],
    [x + s, y + s],
    [x, y + s],
    [x, y],
  ],
];

/** SYNTHETIC layers around the file's parcel (≈ 38 378 464–38 378 794 E, 2 585 771–2 586 184 N). */
function syntheticLayers() {
  const classes = ['0101', '0103', '0301', '0702'];
  const landUse = [];
  for (let j = 0; j < 3; j++)
    for (let i = 0; i < 3; i++)
      landUse.push({
        type: 'Feature',
        properties: { DLBM: classes[(i + j) % classes.length], BSM: `T${j}${i}` },
        geometry: { type: 'Polygon', coordinates: square(38_378_200 + i * 300, 2_585_500 + j * 300, 300) },
      });
  const farmland = [
    {
      type: 'Feature',
      properties: { DLBM: '0101', BSM: 'JB1' },
      geometry: { type: 'Polygon', coordinates: square(38_378_450, 2_585_900, 200) },
    },
  ];
  const fc = (features: unknown[]) =>
    JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'EPSG:4526' } }, features });
  return [
    { name: '测试现状地类', kind: 'landUse', body: fc(landUse) },
    { name: '测试永久基本农田', kind: 'permanentBasicFarmland', body: fc(farmland) },
  ];
}

/** Imports the synthetic layers through the API as the admin (the journey's afterStart step). */
async function importLayersAsAdmin({ server }: JourneyEnvironment): Promise<void> {
  const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: demoPassword }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  for (const layer of syntheticLayers()) {
    const form = new FormData();
    form.set('name', layer.name);
    form.set('kind', layer.kind);
    form.set('file', new Blob([layer.body], { type: 'application/geo+json' }), `${layer.kind}.geojson`);
    const r = await fetch(`${server.baseUrl}/api/v1/spatial/layers`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken },
      body: form,
    });
    if (r.status !== 201) throw new Error(`layer import failed: ${r.status} ${await r.text()}`);
  }
}

const env = journeyEnvironment({ afterStart: importLayersAsAdmin });

describe('map and overlay analysis', () => {
  it('uploads a real coordinate file, runs the analysis and shows the overlapped areas by class', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    onTestFailed(() => screenshot(page, 'failed-map'));

    await page.goto(`${env.server.baseUrl}/login`);
    await page.locator('#username').fill('reviewer');
    await page.locator('#password').fill(demoPassword);
    await page.getByTestId('login-submit').click();
    await page.getByRole('heading', { name: '工作台' }).waitFor();

    await page.goto(`${env.server.baseUrl}/console/map`);
    await page.getByTestId('page-title').filter({ hasText: '图数联动' }).waitFor();
    await page.getByTestId('layer-switcher').getByText('测试现状地类').waitFor();
    await page.getByTestId('map').locator('canvas').first().waitFor();

    await page
      .locator('input[type=file]')
      .setInputFiles({ name: '03_edcfoshan.txt', mimeType: 'text/plain', buffer: readFileSync(coordFile) });
    await page.getByTestId('file-summary').filter({ hasText: '1 宗地块' }).waitFor();
    expect(await page.getByTestId('file-summary').textContent()).toContain('87422.55');

    await page.getByTestId('run-analysis').click();
    const table = page.getByTestId('overlap-table');
    await table.locator('tbody tr').first().waitFor();
    const text = (await table.textContent()) ?? '';
    expect(text).toContain('测试现状地类');
    expect(text).toContain('测试永久基本农田');
    expect(text).toContain('0101');
    // every square metre of the parcel lies in the land-use grid: the shares add up to 100%
    const rows = await table.locator('tbody tr').allTextContents();
    expect(rows.length).toBeGreaterThanOrEqual(3);
    await page.getByTestId('flag-OCCUPIES_PERMANENT_BASIC_FARMLAND').waitFor();
    expect(await page.getByTestId('approval-level').textContent()).toContain('国务院');
    await screenshot(page, 'map-analysis');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lets the admin import a GeoJSON layer from the map page: upload progress, the repaired bow-tie reported', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    onTestFailed(() => screenshot(page, 'failed-map-import'));
    await page.goto(`${env.server.baseUrl}/login`);
    await page.locator('#username').fill('admin');
    await page.locator('#password').fill(demoPassword);
    await page.getByTestId('login-submit').click();
    await page.getByRole('heading', { name: '工作台' }).waitFor();
    await page.goto(`${env.server.baseUrl}/console/map`);
    await page.getByTestId('import-open').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('import-name').fill('测试生态红线');
    const bowtie = [
      [
        [38_378_400, 2_585_600],
        [38_378_450, 2_585_650],
        [38_378_450, 2_585_600],
        [38_378_400, 2_585_650],
        [38_378_400, 2_585_600],
      ],
    ];
    const geojson = JSON.stringify({
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'EPSG:4526' } },
      features: [{ type: 'Feature', properties: { BSM: 'HX1' }, geometry: { type: 'Polygon', coordinates: bowtie } }],
    });
    await dialog
      .locator('input[type=file]')
      .setInputFiles({ name: 'redline.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(geojson) });
    await dialog.getByTestId('import-submit').click();
    await dialog.getByTestId('import-report').filter({ hasText: '修复 1 个' }).waitFor();
    // the upload reached 100 % (antd then shows the success state instead of the number)
    expect(await dialog.getByTestId('import-progress').getAttribute('class')).toContain('ant-progress-status-success');
    await page.getByTestId('layer-switcher').getByText('测试生态红线').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
