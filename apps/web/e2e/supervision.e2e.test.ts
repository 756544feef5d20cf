/**
 * The supervision office's workspace (issue 7) in real Chromium against the real server: the
 * supervisor opens 电子监察, sees the overview counts and the audit chain verified, issues a
 * 督办单 to 用地处, and downloads the bulletin PDF that counts it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it, onTestFailed } from 'vitest';
import { screenshot, trackPageErrors } from './browser.ts';
import { journeyEnvironment } from './journey.ts';

const demoPassword = 'Guotu@2026';
const env = journeyEnvironment();

describe('supervision workspace', () => {
  it('shows the overview and the audit verification, issues a 督办单 and downloads the bulletin PDF', async () => {
    const context = await env.browser.newContext({
      viewport: { width: 1440, height: 1000 },
      locale: 'zh-CN',
      acceptDownloads: true,
    });
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    onTestFailed(() => screenshot(page, 'failed-supervision'));

    await page.goto(`${env.server.baseUrl}/login`);
    await page.locator('#username').fill('supervisor');
    await page.locator('#password').fill(demoPassword);
    await page.getByTestId('login-submit').click();
    await page.getByRole('heading', { name: '工作台' }).waitFor();

    await page.goto(`${env.server.baseUrl}/console/supervision`);
    await page.getByTestId('page-title').filter({ hasText: '电子监察' }).waitFor();
    await page.getByTestId('overview-counts').getByText('超时（红牌）').waitFor();
    await page.getByTestId('audit-verification').getByText('审计日志校验通过').waitFor();

    await page.getByRole('tab', { name: '异常' }).click();
    await page.getByTestId('anomalies-table').waitFor();
    await page.getByRole('tab', { name: '督办' }).click();
    await page.getByTestId('order-issue-open').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('order-org').click();
    await page.keyboard.type('用地处');
    await page.locator('.ant-select-item-option').filter({ hasText: '用地处' }).first().click();
    await dialog.getByTestId('order-case').fill('鄂自然资2026-0042');
    await dialog.getByTestId('order-reason').fill('用地处审查超时，请于三个工作日内办结并回复');
    await page.getByTestId('order-submit').click();
    const row = page.getByTestId('orders-table').locator('tbody tr').filter({ hasText: '鄂自然资2026-0042' });
    await row.waitFor();
    const rowText = (await row.textContent()) ?? '';
    expect(rowText).toMatch(/督-\d{4}-0001/);
    expect(rowText).toContain('待回复');
    const number = /督-\d{4}-0001/.exec(rowText)?.[0] ?? '';

    await page.getByRole('tab', { name: '通报' }).click();
    await page.getByTestId('bulletin').waitFor();
    await page.getByTestId('bulletin-chart').locator('canvas').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('bulletin-pdf').click()]);
    const file = await download.path();
    const pdf = readFileSync(file);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(download.suggestedFilename()).toMatch(/^bulletin-month-\d{4}-\d{2}-01\.pdf$/);
    expect(pdf.length).toBeGreaterThan(5000);
    expect(number).not.toBe('');
    await screenshot(page, 'supervision-bulletin');
    expect(errors).toEqual([]);
    await context.close();
  });
});
