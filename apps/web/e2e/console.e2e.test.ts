/**
 * Browser journeys of the staff console and the portal, in real Chromium against the real
 * server (embedded database, fresh data dir, demo users seeded on first start).
 */
import { describe, expect, it, onTestFailed } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, trackPageErrors, demoPassword, logIn as signIn } from './browser.ts';
import { journeyEnvironment } from './journey.ts';

const env = journeyEnvironment();

const logIn = (page: Page, username: string): Promise<void> =>
  signIn(page, env.server.baseUrl, username, { waitForWorkbench: false });

describe('staff console', () => {
  it("shows the admin the outbox, where an applicant's login code waits in the embedded default", async () => {
    const phone = '13912347777';
    const asked = await fetch(`${env.server.baseUrl}/api/v1/public/applicant/code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone }),
    });
    expect(asked.status).toBe(200);
    const context = await env.browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    onTestFailed(() => screenshot(page, 'failed-outbox'));
    await logIn(page, 'admin');
    // 系统管理 → 消息发件箱: open the submenu until its item shows, then click it until the page is
    // the outbox (a click right after sign-in may land before the menu listens; waiting for the
    // title would be satisfied by the menu item's own text)
    await expect
      .poll(
        async () => {
          const item = page.getByRole('menuitem', { name: '消息发件箱' });
          if (await item.isVisible()) await item.click({ timeout: 2_000 });
          else await page.getByRole('menuitem', { name: '系统管理' }).click({ timeout: 2_000 });
          return new URL(page.url()).pathname;
        },
        { timeout: 20_000, interval: 300 },
      )
      .toBe('/console/admin/outbox');
    const row = page.getByRole('row').filter({ hasText: phone });
    await row.first().waitFor();
    expect(await row.first().getByTestId('outbox-body').textContent()).toMatch(/登录验证码为\d{6}/);
    await screenshot(page, 'console-outbox');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lets the admin sign in, switch to English, create a user and sign out', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    onTestFailed(() => screenshot(page, 'failed-admin-journey'));

    await logIn(page, 'admin');
    await page.getByRole('heading', { name: '工作台' }).waitFor();
    expect(page.url()).toBe(`${env.server.baseUrl}/console/workbench`);
    await page.getByRole('menuitem', { name: '系统管理' }).waitFor();
    await screenshot(page, 'console-workbench-zh');

    await page.getByTestId('language-switch').getByText('EN').click();
    await page.getByRole('heading', { name: 'Workbench' }).waitFor();
    await page.getByRole('menuitem', { name: 'Administration' }).waitFor();
    // the choice survives a reload (localStorage)
    await page.reload();
    await page.getByRole('heading', { name: 'Workbench' }).waitFor();

    await page.getByRole('menuitem', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    expect(page.url()).toBe(`${env.server.baseUrl}/console/admin/users`);
    await page.getByTestId('users-table').getByText('admin', { exact: true }).waitFor();

    const username = `e2e_${Date.now().toString(36)}`;
    await page.getByTestId('create-user').click();
    const modal = page.getByRole('dialog');
    await modal.getByText('New user').waitFor();
    // first a taken username: the server's 409 lands on the username field
    await page.locator('#username').fill('admin');
    await page.locator('#displayName').fill('E2E 测试员');
    await page.locator('#password').fill('Test@2026pass');
    await modal.getByTestId('field-orgId').click();
    await page.locator('.ant-select-tree-title', { hasText: '湖北省自然资源厅' }).first().click();
    await modal.getByTestId('field-roles').click();
    await page.locator('.ant-select-item-option', { hasText: 'Case handler' }).click();
    await modal.getByText('New user').click(); // closes the roles dropdown
    await screenshot(page, 'console-create-user-en');
    await modal.getByRole('button', { name: 'Save' }).click();
    await modal.locator('.ant-form-item-explain-error', { hasText: 'This username is already taken' }).waitFor();
    await screenshot(page, 'console-create-user-conflict-en');
    await page.locator('#username').fill(username);
    await modal.getByRole('button', { name: 'Save' }).click();
    await modal.waitFor({ state: 'hidden' });

    await page.getByTestId('user-search').fill(username);
    await page.getByTestId('user-search').press('Enter');
    const row = page.getByTestId('users-table').locator('tr', { hasText: username });
    await row.waitFor();
    expect(await row.textContent()).toContain('Case handler');
    await screenshot(page, 'console-users-en');

    // edit: disable the account (PATCH with the CSRF header)
    await row.getByRole('button', { name: 'Edit' }).click();
    await modal.getByText('Edit user: E2E 测试员').waitFor();
    await page.locator('#disabled').click();
    await modal.getByRole('button', { name: 'Save' }).click();
    await modal.waitFor({ state: 'hidden' });
    await row.getByText('Disabled', { exact: true }).waitFor();

    // the org tree is built from GET /orgs; add a child unit under the department
    await page.getByRole('menuitem', { name: 'Organisation' }).click();
    const tree = page.getByTestId('org-tree');
    await tree.getByText('湖北省自然资源厅', { exact: true }).click();
    await page.getByTestId('add-child-org').click();
    const unitName = `E2E 测试处 ${Date.now().toString(36)}`;
    await page.locator('#name').fill(unitName);
    await page.locator('#kind').click();
    await page.locator('.ant-select-item-option', { hasText: 'Office' }).first().click();
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await tree.getByText(unitName, { exact: true }).waitFor();
    await screenshot(page, 'console-orgs-en');

    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Staff sign-in' }).waitFor();
    expect(page.url()).toBe(`${env.server.baseUrl}/login`);
    // the session is really gone: the console sends us back to the login page
    await page.goto(`${env.server.baseUrl}/console/admin/users`);
    await page.getByRole('heading', { name: 'Staff sign-in' }).waitFor();

    expect(errors).toEqual([]);
    await context.close();
  });

  it('lets a user change the password and sign in with the new one', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    onTestFailed(() => screenshot(page, 'failed-change-password'));
    const newPassword = 'Leader2026new';

    await logIn(page, 'leader');
    await page.getByRole('heading', { name: '工作台' }).waitFor();
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: '修改密码' }).click();
    const modal = page.getByRole('dialog');
    await page.locator('#currentPassword').fill('wrong-password-1');
    await page.locator('#newPassword').fill(newPassword);
    await page.locator('#confirm').fill(newPassword);
    await modal.getByRole('button', { name: /保\s?存/ }).click();
    await modal.locator('.ant-form-item-explain-error', { hasText: '当前密码不正确' }).waitFor();

    await page.locator('#currentPassword').fill(demoPassword);
    await modal.getByRole('button', { name: /保\s?存/ }).click();
    await page.getByText('密码已修改').waitFor();
    await modal.waitFor({ state: 'hidden' });

    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: '退出登录' }).click();
    await page.getByRole('heading', { name: '工作人员登录' }).waitFor();
    await logIn(page, 'leader');
    await page.getByTestId('login-error').getByText('用户名或密码错误').waitFor();
    await page.locator('#password').fill(newPassword);
    await page.getByTestId('login-submit').click();
    await page.getByRole('heading', { name: '工作台' }).waitFor();

    expect(errors).toEqual([]);
    await context.close();
  });

  it('works on a phone: portal first, then sign-in and the menu drawer by permission', async () => {
    const context = await env.browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    onTestFailed(() => screenshot(page, 'failed-phone'));

    await page.goto(`${env.server.baseUrl}/`);
    await page.getByRole('heading', { name: '湖北省自然资源厅网上办事大厅' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/portal');
    await screenshot(page, 'phone-portal');

    // the progress query: an unknown number gets the one neutral sentence (as a wrong code would)
    await page.getByRole('menuitem', { name: '进度查询' }).click();
    await page.locator('#caseNumber').fill('420106-2026-999999');
    await page.locator('#queryCode').fill('ABCDEFGH');
    await page.getByRole('button', { name: /查\s?询/ }).click();
    await page.getByTestId('progress-not-found').waitFor();

    await logIn(page, 'handler');
    await page.getByRole('heading', { name: '工作台' }).waitFor();
    await page.getByTestId('menu-toggle').click();
    const drawer = page.locator('.ant-drawer-content');
    await drawer.getByRole('menuitem', { name: '办件' }).waitFor();
    // a case handler has no user or org administration permission from the server; under
    // 系统管理 it sees only the working calendar (calendar.read)
    await drawer.getByRole('menuitem', { name: '工作日历' }).waitFor();
    expect(await drawer.getByRole('menuitem', { name: '用户' }).count()).toBe(0);
    expect(await drawer.getByRole('menuitem', { name: '组织机构' }).count()).toBe(0);
    await screenshot(page, 'phone-console-drawer');

    // 办件 is built now (收件受理 / 办件查询); 公文 is still a placeholder
    await drawer.getByRole('menuitem', { name: '公文' }).click();
    await drawer.waitFor({ state: 'hidden' });
    await page.getByText('尚未开放').first().waitFor();
    // nothing wider than the phone: the page does not scroll sideways
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    expect(errors).toEqual([]);
    await context.close();
  });
});
