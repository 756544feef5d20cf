/**
 * Working-day calendar (issue 3) in real Chromium against the real server: the admin reads
 * 2026 (国庆节 and its 补班), computes a clock with a supplement pause, imports a 2027
 * notice; a case handler reads the calendar without the import button.
 */
import { describe, expect, it, onTestFailed } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, trackPageErrors, logIn as signIn } from './browser.ts';
import { journeyEnvironment } from './journey.ts';

// A MADE-UP test notice: the State Council has not published 2027's arrangements; the dates
// and the reference number are invented for this test only (the year just has to be the one
// after the last bundled year, 2026, because covered years must be contiguous).
const notice2027 = [
  'year: 2027',
  'notice: 测试通知〔2026〕99号',
  'published: 2026-11-20',
  'holiday: 2027-01-01..2027-01-03 元旦',
  'holiday: 2027-02-06..2027-02-12 春节',
  'makeup: 2027-02-14 春节',
].join('\n');

const env = journeyEnvironment();

const logIn = (page: Page, username: string): Promise<void> => signIn(page, env.server.baseUrl, username);

/** antd DatePicker (its data-testid lands on the input): type the value and confirm with Enter. */
async function pick(page: Page, testId: string, value: string, nth = 0): Promise<void> {
  const input = page.getByTestId(testId).nth(nth);
  await input.click();
  await input.fill(value);
  await input.press('Enter');
}

describe('working-day calendar', () => {
  it('shows the admin 2026 with 国庆节 and its 补班, computes a paused clock, imports 2027', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    onTestFailed(() => screenshot(page, 'failed-calendar-admin'));

    await logIn(page, 'admin');
    await page.getByRole('menuitem', { name: '工作日历' }).click();
    await page.getByRole('heading', { name: '工作日历' }).waitFor();
    expect(page.url()).toBe(`${env.server.baseUrl}/console/admin/calendar`);

    // the page opens on this year; pick 2026 explicitly so the test does not depend on the date
    await page.getByTestId('calendar-year').click();
    await page.locator('.ant-select-item-option', { hasText: /^2026$/ }).click();
    await page.locator('[data-testid="calendar-grid"][data-year="2026"]').waitFor();
    const national = page.locator('[data-testid="calendar-day"][data-date="2026-10-01"]');
    expect(await national.getAttribute('data-reason')).toBe('holiday');
    expect(await national.getAttribute('aria-label')).toContain('国庆节');
    const makeup = page.locator('[data-testid="calendar-day"][data-date="2026-10-10"]');
    expect(await makeup.getAttribute('data-reason')).toBe('makeupWorkday');
    expect(await makeup.textContent()).toContain('班');
    await page.getByTestId('month-10').getByText('10-01–10-07 国庆节 法定节假日').waitFor();
    await page.getByTestId('month-10').getByText('10-10 国庆节 调休补班').waitFor();
    await page.getByTestId('calendar-notice').getByText('国办发明电〔2025〕7号').waitFor();
    await screenshot(page, 'calendar-2026-zh');

    // the rule table with its legal sources
    await page.getByRole('tab', { name: '时限规则' }).click();
    await page.getByTestId('rules-table').getByText('中华人民共和国行政许可法').first().waitFor();

    // 20 working days from an acceptance on Friday 2026-09-25 (中秋 + 国庆 inside), with a
    // supplement request 10-12 → 10-15: 3 days not counted, due Tuesday 2026-11-03
    await page.getByRole('tab', { name: '时限计算器' }).click();
    await page.getByTestId('calc-limit').fill('20');
    await pick(page, 'calc-start', '2026-09-25 10:00');
    await pick(page, 'calc-now', '2026-10-20 12:00');
    await page.getByTestId('calc-add-pause').click();
    await pick(page, 'pause-from', '2026-10-12 09:00');
    await pick(page, 'pause-to', '2026-10-15 17:00');
    await page.getByTestId('pause-reason').fill('申请材料缺少勘测定界图');
    await page.getByTestId('calc-submit').click();
    await page
      .getByTestId('clock-due')
      .getByText(/^2026-11-03/)
      .waitFor();
    expect(await page.getByTestId('clock-state').getAttribute('data-state')).toBe('running');
    const paused = page.locator('[data-testid="clock-day"][data-date="2026-10-13"]');
    expect(await paused.getAttribute('data-reason')).toBe('paused');
    expect(await paused.textContent()).toContain('补正');
    expect(await paused.textContent()).toContain('申请材料缺少勘测定界图');
    const holiday = page.locator('[data-testid="clock-day"][data-date="2026-10-01"]');
    expect(await holiday.getAttribute('data-counted')).toBe('false');
    expect(await holiday.textContent()).toContain('国庆节');
    const makeupDay = page.locator('[data-testid="clock-day"][data-date="2026-10-10"]');
    expect(await makeupDay.getAttribute('data-counted')).toBe('true');
    await screenshot(page, 'calendar-clock-zh');

    // import 2027: first a broken line, the server's line-numbered problem is shown
    await page.getByRole('tab', { name: '日历' }).click();
    await page.getByTestId('calendar-import').click();
    const modal = page.getByRole('dialog');
    await page.getByTestId('import-text').fill(notice2027.replace('2027-02-14 春节', '2027-02-30 春节'));
    await page.getByTestId('import-submit').click();
    await page
      .getByTestId('import-errors')
      .getByText(/第 6 行/)
      .waitFor();
    await screenshot(page, 'calendar-import-error-zh');
    await page.getByTestId('import-text').fill(notice2027);
    await page.getByTestId('import-submit').click();
    await modal.waitFor({ state: 'hidden' });
    await page.locator('[data-testid="calendar-grid"][data-year="2027"]').waitFor();
    await page.getByTestId('calendar-notice').getByText('测试通知〔2026〕99号').waitFor();
    await page.getByTestId('calendar-notice').getByText('管理员导入').waitFor();
    expect(await page.locator('[data-testid="calendar-day"][data-date="2027-02-14"]').getAttribute('data-reason')).toBe(
      'makeupWorkday',
    );
    await page.getByTestId('calendar-year').click();
    await page.locator('.ant-select-item-option', { hasText: /^2027$/ }).waitFor();
    await page.keyboard.press('Escape');
    await screenshot(page, 'calendar-2027-imported-zh');

    expect(errors).toEqual([]);
    await context.close();
  });

  it('lets a case handler read the calendar on a phone, without the import button or rule editing', async () => {
    const context = await env.browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    onTestFailed(() => screenshot(page, 'failed-calendar-handler'));

    await logIn(page, 'handler');
    await page.getByTestId('menu-toggle').click();
    const drawer = page.locator('.ant-drawer-content');
    await drawer.getByRole('menuitem', { name: '工作日历' }).click();
    await drawer.waitFor({ state: 'hidden' });
    await page.getByRole('heading', { name: '工作日历' }).waitFor();
    await page.locator('[data-testid="calendar-grid"] [data-testid="calendar-day"]').first().waitFor();
    expect(await page.getByTestId('calendar-import').count()).toBe(0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'phone-calendar-handler');

    await page.getByRole('tab', { name: '时限规则' }).click();
    await page.getByTestId('rules-table').getByText('中华人民共和国行政许可法').first().waitFor();
    expect(
      await page
        .getByTestId('rules-table')
        .getByRole('button', { name: /编\s?辑/ })
        .count(),
    ).toBe(0);

    expect(errors).toEqual([]);
    await context.close();
  });
});
