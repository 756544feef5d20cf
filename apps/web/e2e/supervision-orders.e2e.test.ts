/**
 * Supervision orders tracked to closure (issue 7) in real Chromium against the real server:
 * the supervision office issues a 说明原因 to 用地处; the office head (用地处处长) finds it under
 * 督办 and explains; the supervision office sends the explanation back with a reason (a new
 * reply deadline, round 2); the office head explains again; the supervision office closes it.
 * Then the efficiency weights: an all-zero set is refused with a message, a valid set is saved
 * and the scores follow.
 */
import { describe, expect, it, onTestFailed } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { logIn, screenshot, trackPageErrors } from './browser.ts';
import { journeyEnvironment } from './journey.ts';

const env = journeyEnvironment();

interface Session {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

async function signIn(username: string): Promise<Session> {
  const context = await env.browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = trackPageErrors(page);
  await logIn(page, env.server.baseUrl, username);
  return { context, page, errors };
}

async function openOrders(page: Page): Promise<void> {
  await page.goto(`${env.server.baseUrl}/console/supervision`);
  await page.getByTestId('page-title').filter({ hasText: '电子监察' }).waitFor();
  await page.getByRole('tab', { name: '督办' }).click();
  await page.getByTestId('orders-table').waitFor();
}

/** Opens the order's drawer from its row; returns the drawer. */
async function openOrder(page: Page, number: string) {
  await page.getByTestId(`order-open-${number}`).click();
  const drawer = page.getByTestId('order-detail');
  await drawer.waitFor();
  return drawer;
}

describe('supervision orders: answer, send back, close', () => {
  let number = '';

  it('runs the loop between the supervision office and the office head', async () => {
    const supervisor = await signIn('supervisor');
    onTestFailed(() => screenshot(supervisor.page, 'failed-orders-supervisor'));
    const sp = supervisor.page;
    await openOrders(sp);
    await sp.getByTestId('order-issue-open').click();
    const dialog = sp.getByRole('dialog');
    await dialog.getByText('督办单', { exact: true }).click();
    await sp.locator('.ant-select-item-option').filter({ hasText: '说明原因' }).click();
    await dialog.getByTestId('order-org').click();
    await sp.keyboard.type('用地处');
    await sp.locator('.ant-select-item-option').filter({ hasText: '用地处' }).first().click();
    await dialog.getByTestId('order-case').fill('鄂自然资2026-0077');
    await dialog.getByTestId('order-reason').fill('鄂自然资2026-0077 用地审查超时，请说明原因');
    await sp.getByTestId('order-submit').click();
    const row = sp.getByTestId('orders-table').locator('tbody tr').filter({ hasText: '鄂自然资2026-0077' });
    await row.waitFor();
    number = /说-\d{4}-\d{4}/.exec((await row.textContent()) ?? '')?.[0] ?? '';
    expect(number).not.toBe('');

    // the office head: no issuing, the order of their office waiting for an answer
    const head = await signIn('officehead');
    onTestFailed(() => screenshot(head.page, 'failed-orders-officehead'));
    const hp = head.page;
    await openOrders(hp);
    expect(await hp.getByTestId('order-issue-open').count()).toBe(0);
    const headRow = hp.getByTestId('orders-table').locator('tbody tr').filter({ hasText: number });
    expect(await headRow.textContent()).toContain('待回复');
    let drawer = await openOrder(hp, number);
    await drawer.getByText('情况说明').waitFor();
    await hp.getByTestId('order-reply-submit').click();
    await drawer.getByText('请填写回复内容').waitFor(); // an empty reply is refused in the form
    await hp.getByTestId('order-reply-input').fill('申请人补正材料耗时五个工作日');
    await hp.getByTestId('order-reply-submit').click();
    await hp.getByText('回复已提交').waitFor();
    await drawer.getByTestId('order-status').filter({ hasText: '已回复' }).waitFor();
    expect(await hp.getByTestId('order-reply-form').count()).toBe(0);

    // the supervision office: the reason is required to send back
    await openOrders(sp);
    drawer = await openOrder(sp, number);
    await drawer.getByTestId('order-reply-text').filter({ hasText: '补正材料耗时' }).waitFor();
    await sp.getByTestId('order-send-back').click();
    await drawer.getByText('退回须写明理由').waitFor();
    await sp.getByTestId('order-review-note').fill('未说明超出部分的原因，请补充');
    await sp.getByTestId('order-send-back').click();
    await sp.getByText(/已退回，新的回复期限/).waitFor();
    await drawer.getByTestId('order-status').filter({ hasText: '待回复' }).waitFor();
    await drawer.getByText('第 2 轮').waitFor();
    await drawer.getByTestId('order-history').getByText('未说明超出部分的原因，请补充').waitFor();

    // the office head answers again
    await openOrders(hp);
    expect(
      await hp.getByTestId('orders-table').locator('tbody tr').filter({ hasText: number }).textContent(),
    ).toContain('第 2 轮');
    drawer = await openOrder(hp, number);
    await drawer.getByTestId('order-history').getByText('未说明超出部分的原因，请补充').waitFor();
    await hp.getByTestId('order-reply-input').fill('补充说明：系统故障停机两天，已整改并建立备用方案');
    await hp.getByTestId('order-reply-submit').click();
    await drawer.getByTestId('order-status').filter({ hasText: '已回复' }).waitFor();

    // the supervision office closes it
    await openOrders(sp);
    drawer = await openOrder(sp, number);
    await drawer.getByTestId('order-reply-text').filter({ hasText: '系统故障' }).waitFor();
    await sp.getByTestId('order-review-note').fill('同意销号');
    await sp.getByTestId('order-close').click();
    await drawer.getByTestId('order-status').filter({ hasText: '已办结' }).waitFor();
    const history = (await drawer.getByTestId('order-history').textContent()) ?? '';
    for (const step of ['下发', '回复', '退回', '销号']) expect(history).toContain(step);
    expect(await sp.getByTestId('order-close').count()).toBe(0);
    await screenshot(sp, 'supervision-order-closed');
    await sp.keyboard.press('Escape');
    await sp.getByTestId('orders-table').locator('tbody tr').filter({ hasText: number }).getByText('已办结').waitFor();

    expect(supervisor.errors).toEqual([]);
    expect(head.errors).toEqual([]);
    await supervisor.context.close();
    await head.context.close();
  });

  it('edits the efficiency weights with validation, and shows the scores', async () => {
    const { context, page, errors } = await signIn('supervisor');
    onTestFailed(() => screenshot(page, 'failed-weights'));
    await page.goto(`${env.server.baseUrl}/console/supervision`);
    await page.getByRole('tab', { name: '效能评分' }).click();
    const form = page.getByTestId('weights-form');
    await form.waitFor();
    await page.getByTestId('office-scores').waitFor();
    for (const key of ['onTime', 'noWarning', 'speed', 'orders']) {
      const input = page.getByTestId(`weight-${key}`);
      await expect.poll(async () => input.inputValue()).not.toBe('');
      await input.fill('0');
    }
    await page.getByTestId('weights-all-zero').getByText('至少一个权重须大于 0').waitFor();
    expect(await page.getByTestId('weights-save').isDisabled()).toBe(true);
    await page.getByTestId('weight-onTime').fill('');
    await form.getByText('请填写权重').waitFor();
    await page.getByTestId('weight-onTime').fill('3');
    await page.getByTestId('weight-orders').fill('1');
    await form.getByText('占 75%').waitFor();
    await page.getByTestId('weights-save').click();
    await page.getByText('权重已保存，评分已按新权重计算').waitFor();
    const saved = await page.evaluate(async () => {
      const r = await fetch('/api/v1/supervision/settings/efficiency-weights');
      return (await r.json()) as unknown;
    });
    expect(saved).toEqual({ onTime: 3, noWarning: 0, speed: 0, orders: 1 });
    await screenshot(page, 'supervision-weights');
    expect(errors).toEqual([]);
    await context.close();
  });
});
