/**
 * Matter catalog (issue 6) in real Chromium against the real server: an anonymous visitor finds
 * 农用地转用和土地征收审批 in the service guides and reads its materials (the boundary coordinate
 * file) and limits (15 working days promised) with the process diagram; an admin imports a
 * matter YAML — first a broken one (the line is shown, nothing changes) — and publishes it.
 */
import { describe, expect, it, onTestFailed } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, trackPageErrors, logIn as signIn } from './browser.ts';
import { journeyEnvironment } from './journey.ts';

// 采矿权注销登记: 矿产资源开采登记管理办法（国务院令第241号）第十六条 (article number from memory).
const cancellationYaml = `code: mining-licence-cancellation
name: 采矿权注销登记
category: 行政许可
levels: [province]
decidingOrgan: 省自然资源厅
basis:
  - law: 矿产资源开采登记管理办法（国务院令第241号）
    article: 第十六条（条文序号未逐条核对）
conditions:
  - 采矿许可证有效期届满或者在有效期内停办、关闭矿山
materials:
  - key: applicationForm
    name: 采矿权注销申请登记书
    required: true
    form: original
    formats: [pdf, ofd]
  - key: closureReport
    name: 矿山闭坑报告及地质环境治理恢复与土地复垦验收材料
    required: true
    form: copy
    formats: [pdf, zip]
form:
  schema:
    type: object
    required: [licenceNumber]
    properties:
      licenceNumber: { type: string, title: 采矿许可证号 }
  layout:
    - { field: licenceNumber, span: 12 }
fees:
  charged: false
limits:
  statutory: licensing.decision
processKey: mineral-right
expedite: false
supervision:
  office: 省自然资源厅纪检监察室
  phone: 027-00000000（示例号码）
sources:
  - title: 矿产资源开采登记管理办法
    documentNumber: 国务院令第241号
    verified: false
`;

const env = journeyEnvironment();

const logIn = (page: Page, username: string): Promise<void> => signIn(page, env.server.baseUrl, username);

describe('service guides', () => {
  it('lets an anonymous visitor find 农用地转用和土地征收审批 with its coordinate file and the 15-day limit', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    onTestFailed(() => screenshot(page, 'failed-guides-visitor'));

    await page.goto(`${env.server.baseUrl}/portal`);
    await page.getByRole('menuitem', { name: '办事指南' }).click();
    await page.getByText('采矿权新立登记').waitFor();
    await page.getByRole('searchbox', { name: '搜索事项名称或编码' }).fill('农用地');
    await page.getByRole('searchbox', { name: '搜索事项名称或编码' }).press('Enter');
    await page.getByText('采矿权新立登记').waitFor({ state: 'detached' });
    await page.getByRole('link', { name: '农用地转用和土地征收审批' }).click();
    await page.getByRole('heading', { name: '农用地转用和土地征收审批' }).waitFor();
    expect(page.url()).toBe(`${env.server.baseUrl}/portal/guides/land-conversion-expropriation`);

    const coordinates = page.getByTestId('materials').getByRole('row', { name: /勘测定界界址点坐标文件/ });
    await coordinates.waitFor();
    expect(await coordinates.textContent()).toContain('必需');
    expect(await coordinates.textContent()).toContain('坐标文件');
    const promised = page.getByTestId('limits').getByRole('row', { name: /承诺时限/ });
    expect(await promised.textContent()).toContain('15 个工作日');
    const statutory = page.getByTestId('limits').getByRole('row', { name: /法定时限/ });
    expect(await statutory.textContent()).toContain('中华人民共和国行政许可法');
    await page.getByText('县级 → 市级 → 省级').waitFor();
    // the process diagram is drawn by bpmn-js from the deployed BPMN
    await page.getByTestId('process-diagram').locator('svg [data-element-id="reviewFarmland"]').first().waitFor();
    await screenshot(page, 'guide-land-conversion');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lets an admin import a matter YAML (a broken one shows its line) and publish it to the portal', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    onTestFailed(() => screenshot(page, 'failed-matters-admin'));

    await logIn(page, 'admin');
    await page.getByRole('menuitem', { name: '事项管理' }).click();
    await page.getByRole('cell', { name: 'land-conversion-expropriation' }).waitFor();

    await page.getByRole('button', { name: '导入 YAML' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('YAML').fill(cancellationYaml.replace('formats: [pdf, zip]', 'formats: [pdf, exe]'));
    await dialog.getByRole('button', { name: '导入 YAML' }).click();
    const problems = dialog.getByTestId('import-problems');
    await problems.waitFor();
    const badLine = cancellationYaml.split('\n').findIndex((l) => l.includes('formats: [pdf, zip]')) + 1;
    expect(await problems.textContent()).toContain(`第 ${badLine} 行`);
    await screenshot(page, 'matters-import-error');

    await dialog.getByLabel('YAML').fill(cancellationYaml);
    await dialog.getByRole('button', { name: '导入 YAML' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row', { name: /mining-licence-cancellation/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('v1');
    await row.getByRole('button', { name: /^发\s?布$/ }).click();
    await page
      .getByRole('tooltip')
      .getByRole('button', { name: /^确\s?定$/ })
      .click();
    await row.getByRole('link', { name: '门户指南' }).waitFor();
    await screenshot(page, 'matters-published');

    await row.getByRole('link', { name: '门户指南' }).click();
    await page.getByRole('heading', { name: '采矿权注销登记' }).waitFor();
    await page.getByTestId('materials').getByText('采矿权注销申请登记书').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
