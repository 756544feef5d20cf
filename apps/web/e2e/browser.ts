import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { webRoot } from './server.ts';

export const screenshotDir = join(webRoot, 'e2e/screenshots');

/** Headless Chromium from the system (CHROMIUM_PATH or /usr/bin/chromium); its own profile. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  // let drawers, modals and dropdowns finish their CSS transitions first
  // (best effort: on a loaded machine, or with a spinner that never stops, take it anyway —
  // a screenshot is for people to look at, not an assertion)
  await page
    .waitForFunction(
      () => document.getAnimations().every((animation) => animation.playState !== 'running'),
      undefined,
      {
        timeout: 5_000,
      },
    )
    .catch(() => undefined);
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/**
 * Collects uncaught page errors and console errors so a journey can assert the app ran
 * clean. Chromium's own "Failed to load resource" lines are left out: the API answering
 * 401/409 is part of the journeys.
 */
export function trackPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      errors.push(message.text());
  });
  return errors;
}

/** Every demo user's password (README). */
export const demoPassword = 'Guotu@2026';

/** Signs in on the login page; by default waits for the console's workbench heading. */
export async function logIn(
  page: Page,
  baseUrl: string,
  username: string,
  options: { password?: string; waitForWorkbench?: boolean } = {},
): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(options.password ?? demoPassword);
  await page.getByTestId('login-submit').click();
  if (options.waitForWorkbench !== false) await page.getByRole('heading', { name: '工作台' }).waitFor();
}
