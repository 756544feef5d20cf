/**
 * 收费 on the staff case page in real Chromium against the real server: the 武昌区 window opens an
 * accepted case (taken in and accepted through the API), records a fee, sees it listed with the
 * total, voids it with a reason while recording the corrected amount, and sees the voided record
 * struck through with its reason, the correction listed and the total without the voided one;
 * then voids the correction without a new record. The history and 审批意见 name both.
 * docs/cases.md § Fees.
 */
import { describe, expect, it, onTestFailed } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { logIn, screenshot, trackPageErrors } from './browser.ts';
import { journeyEnvironment } from './journey.ts';
import { acceptedWindowCase, staffLogin } from './staff-cases.ts';

const env = journeyEnvironment();

/** The fee rows of the 收费 tab, oldest first. */
const feeRows = (page: Page): Locator => page.getByTestId('case-fee-list').locator('[data-testid="case-fee"]');

/** Text typed into an antd input whose test id sits on the input or on its wrapper. */
async function typeInto(page: Page, testId: string, text: string): Promise<void> {
  const target = page.getByTestId(testId);
  const input = (await target.evaluate((el) => el.tagName)) === 'INPUT' ? target : target.locator('input');
  await input.fill(text);
}

describe('收费 on the staff case page', () => {
  it('records a fee, voids it with a reason and the corrected amount, and shows the voided record struck through', async () => {
    const clerk = await staffLogin(env.server.baseUrl, 'wuchang.window');
    const accepted = await acceptedWindowCase(clerk, '武昌区收费更正测试项目');

    const context = await env.browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    onTestFailed(() => screenshot(page, 'failed-case-fees'));
    await logIn(page, env.server.baseUrl, 'wuchang.window');
    await page.goto(`${env.server.baseUrl}/console/cases/${accepted.id}`);
    await page.locator('[data-testid="case-status"][data-status="inReview"]').first().waitFor();
    await page.getByRole('tab', { name: '收费' }).click();
    const fees = page.getByTestId('case-fees');
    await fees.getByText('尚无收费记录').waitFor();
    // the shipped matter charges nothing: the window is told supervision will flag a fee
    await fees.getByText(/本事项不收费/).waitFor();

    // ── record a fee ──
    await typeInto(page, 'fee-item', '工本费');
    await typeInto(page, 'fee-amount', '25');
    await page.getByTestId('fee-note').fill('现金');
    await page.getByTestId('fee-submit').click();
    await expect.poll(() => feeRows(page).count()).toBe(1);
    const first = feeRows(page).first();
    expect(await first.getAttribute('data-voided')).toBe('false');
    expect(await first.innerText()).toMatch(/工本费[\s\S]*25\.00[\s\S]*现金/);
    expect(await page.getByTestId('case-fee-total').innerText()).toBe('合计 25.00 元');

    // ── a reason is required ──
    await first.getByTestId('fee-void').click();
    const dialog = page.getByTestId('fee-void-dialog');
    await dialog.getByText('作废收费记录：工本费 25.00 元').waitFor();
    await page.getByTestId('fee-void-submit').click();
    await dialog.getByText('请填写作废原因').waitFor();

    // ── void with a reason and record the corrected amount in the same change ──
    await page.getByTestId('fee-void-reason').fill('金额登记错误，实收20元');
    await dialog.getByText('同时登记更正后的收费', { exact: true }).click();
    // pre-filled from the record: only the amount changes
    expect(await page.getByTestId('correction-note').inputValue()).toBe('现金');
    await typeInto(page, 'correction-amount', '20');
    await page.getByTestId('fee-void-submit').click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => feeRows(page).count()).toBe(2);

    const voided = feeRows(page).nth(0);
    const corrected = feeRows(page).nth(1);
    expect(await voided.getAttribute('data-voided')).toBe('true');
    // struck through: the record's cells are inside <del>, the reason and who voided it beside them
    expect(await voided.locator('del').allInnerTexts()).toEqual(expect.arrayContaining(['工本费', '25.00', '现金']));
    expect(await voided.getByTestId('fee-void-reason-text').innerText()).toBe('金额登记错误，实收20元');
    expect(await voided.getByTestId('fee-voided').innerText()).toMatch(/已作废[\s\S]*已更正[\s\S]*作废/);
    expect(await voided.getByTestId('fee-void').count()).toBe(0);
    expect(await corrected.getAttribute('data-voided')).toBe('false');
    expect(await corrected.locator('del').count()).toBe(0);
    expect(await corrected.innerText()).toMatch(/工本费[\s\S]*20\.00[\s\S]*更正/);
    expect(await page.getByTestId('case-fee-total').innerText()).toBe('合计 20.00 元');
    await fees.getByText('已作废的记录不计入合计').waitFor();
    await screenshot(page, 'case-fees-corrected');

    // ── void the correction too, without a new record ──
    await corrected.getByTestId('fee-void').click();
    await page.getByTestId('fee-void-reason').fill('误收，已退还申请人');
    await page.getByTestId('fee-void-submit').click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => corrected.getAttribute('data-voided')).toBe('true');
    expect(await corrected.getByTestId('fee-void-reason-text').innerText()).toBe('误收，已退还申请人');
    expect(await page.getByTestId('case-fee-total').innerText()).toBe('合计 0.00 元');

    // ── the history names the voids with their reasons ──
    await page.getByRole('tab', { name: '流转记录' }).click();
    const events = page.getByTestId('case-events').locator('[data-type="feeVoided"]');
    await expect.poll(() => events.count()).toBe(2);
    expect(await events.allInnerTexts()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/收费作废[\s\S]*金额登记错误，实收20元/),
        expect.stringMatching(/收费作废[\s\S]*误收，已退还申请人/),
      ]),
    );
    // ── and 审批意见 lists the reasons under the same names, not the event types ──
    const opinions = page.getByTestId('case-opinions').locator('[data-type="feeVoided"]');
    expect(await opinions.allInnerTexts()).toEqual([
      expect.stringMatching(/^收费作废[\s\S]*金额登记错误，实收20元/),
      expect.stringMatching(/^收费作废[\s\S]*误收，已退还申请人/),
    ]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
