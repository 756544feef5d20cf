/**
 * Workflow (issue 4) in real Chromium against the real server: the admin deploys a small
 * approval process through the 流程定义 page (a refused one first: the problem is named by
 * element id and outlined in the modeler), an instance is started through the API (the UI
 * has no start button — cases will start instances), and the case handler finds the task in
 * 待办 on a phone, sees the diagram with the active step highlighted, completes it with an
 * opinion, and finds it in 已办.
 */
import { join } from 'node:path';
import { describe, expect, it, onTestFailed } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, trackPageErrors, logIn as signIn } from './browser.ts';
import { journeyEnvironment } from './journey.ts';
import { webRoot } from './server.ts';

const fixtures = join(webRoot, 'e2e/fixtures');
const businessKey = `鄂自然资审〔2026〕E2E-${Date.now().toString(36)}号`;
const opinion = '材料齐全，符合用地标准，拟同意。';

const env = journeyEnvironment();

const logIn = (page: Page, username: string): Promise<void> => signIn(page, env.server.baseUrl, username);

async function upload(page: Page, file: string): Promise<void> {
  await page.locator('input[type=file]').setInputFiles(join(fixtures, file));
  await page.getByTestId('definition-editor').waitFor();
}

/** POST /workflow/instances as the signed-in user of the page (session cookie + CSRF token). */
async function startInstance(page: Page): Promise<string> {
  return page.evaluate(async (key) => {
    const session = (await (await fetch('/api/v1/auth/session')).json()) as { csrfToken: string };
    const response = await fetch('/api/v1/workflow/instances', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
      body: JSON.stringify({
        key: 'e2eSmallApproval',
        businessKey: key,
        variables: { applicant: '武汉某置业有限公司', area: 3.2 },
      }),
    });
    if (response.status !== 201) throw new Error(`start: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { instanceId: string }).instanceId;
  }, businessKey);
}

describe('workflow', () => {
  it('lets the admin deploy through the UI and the handler complete the task from 待办', async () => {
    const admin = await env.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const page = await admin.newPage();
    const errors = trackPageErrors(page);
    onTestFailed(() => (page.isClosed() ? undefined : screenshot(page, 'failed-workflow-admin')));

    await logIn(page, 'admin');
    await page.getByRole('menuitem', { name: '流程定义' }).click();
    await page.getByRole('heading', { name: '流程定义' }).waitFor();

    // a script task with inline code is refused; the problem names the element, which is outlined
    await upload(page, 'refused-script.bpmn');
    const modeler = page.getByTestId('bpmn-modeler');
    await modeler.locator('.djs-element[data-element-id="approve"]').waitFor();
    await page.getByTestId('definition-deploy').click();
    const problems = page.getByTestId('deploy-errors');
    await problems.getByText('approve', { exact: true }).first().waitFor();
    await problems.getByText(/scriptTask body must name a registered handler/).waitFor();
    await modeler.locator('.djs-element.guotu-error[data-element-id="approve"]').waitFor();
    await screenshot(page, 'workflow-deploy-refused-zh');
    await page.locator('.ant-drawer-close').click();
    await page.getByTestId('definition-editor').waitFor({ state: 'hidden' });

    // the real one: opened in the modeler, deployed as version 1
    await upload(page, 'small-approval.bpmn');
    await modeler.locator('.djs-element[data-element-id="review"]').waitFor();
    // the side panel shows the selected user task's guotu: attributes
    await modeler.locator('.djs-element[data-element-id="review"]').click();
    const properties = page.getByTestId('element-properties');
    await properties.getByText('review', { exact: true }).waitFor();
    expect(await properties.locator('input').nth(1).inputValue()).toBe('handler');
    await screenshot(page, 'workflow-modeler-zh');
    await page.getByTestId('definition-deploy').click();
    await page.getByText('已部署 e2eSmallApproval 第 1 版').waitFor();
    await page.getByTestId('definition-editor').waitFor({ state: 'hidden' });
    const row = page.getByTestId('definitions-table').locator('tr', { hasText: 'e2eSmallApproval' });
    await row.getByText('用地审查（测试）').waitFor();
    await row.getByText('v1').waitFor();
    await screenshot(page, 'workflow-definitions-zh');

    const instanceId = await startInstance(page);
    expect(instanceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(errors).toEqual([]);
    await admin.close();

    const phone = await env.browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const handler = await phone.newPage();
    const handlerErrors = trackPageErrors(handler);
    onTestFailed(() => screenshot(handler, 'failed-workflow-handler'));
    await logIn(handler, 'handler');
    const todo = handler.getByTestId('tasks-todo');
    const todoRow = todo.getByTestId('task-row').filter({ hasText: businessKey });
    await todoRow.waitFor();
    expect(await todoRow.textContent()).toContain('承办审查');
    await todoRow.getByTestId('due-date').waitFor();
    await screenshot(handler, 'phone-workflow-todo');

    await todoRow.getByTestId('task-link').click();
    await handler.getByRole('heading', { name: '承办审查' }).waitFor();
    await handler.getByTestId('task-variables').getByText('武汉某置业有限公司').waitFor();
    // the diagram: the running step highlighted, the way in marked as taken
    const diagram = handler.getByTestId('process-diagram');
    await diagram.locator('.djs-element.guotu-active[data-element-id="review"]').waitFor();
    await diagram.locator('.djs-element.guotu-completed[data-element-id="start"]').waitFor();
    // a horizontal flow has no height: Playwright calls it hidden, so wait for it to be there
    await diagram.locator('.djs-element.guotu-taken[data-element-id="toReview"]').waitFor({ state: 'attached' });
    expect(await diagram.locator('.djs-element.guotu-active[data-element-id="approve"]').count()).toBe(0);
    // only the operations the server lists are buttons
    await handler.getByTestId('op-complete').waitFor();
    expect(await handler.getByTestId('op-removeSigner').count()).toBe(0);
    const overflow = await handler.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(handler, 'phone-workflow-task');

    await handler.getByTestId('task-opinion').fill(opinion);
    await handler.getByTestId('op-complete').click();
    await handler.getByText('办理完成成功').waitFor();
    await handler.getByRole('heading', { name: '工作台' }).waitFor();
    await handler.getByTestId('tasks-todo').waitFor();
    expect(
      await handler.getByTestId('tasks-todo').getByTestId('task-row').filter({ hasText: businessKey }).count(),
    ).toBe(0);

    await handler.getByRole('tab', { name: '已办' }).click();
    const doneRow = handler.getByTestId('tasks-done').getByTestId('task-row').filter({ hasText: businessKey });
    await doneRow.waitFor();
    expect(await doneRow.textContent()).toContain('同意');
    await doneRow.getByTestId('task-link').click();
    await handler.getByTestId('task-history').getByText(opinion).waitFor();
    // the case moved on: 领导审批 is now the active step
    await handler
      .getByTestId('process-diagram')
      .locator('.djs-element.guotu-active[data-element-id="approve"]')
      .waitFor();
    await screenshot(handler, 'phone-workflow-done');

    // the same page in English: labels, operations and history types are translated
    await handler.getByTestId('language-switch').getByText('EN').click();
    await handler.getByText('Process diagram').waitFor();
    await handler.getByTestId('task-history').getByText('Completed', { exact: true }).waitFor();
    await handler.getByText('Decision').first().waitFor();
    await screenshot(handler, 'phone-workflow-done-en');

    // a handler has no instance administration: the server lists no operations, no panel
    expect(await handler.getByTestId('instance-admin').count()).toBe(0);
    const taskUrl = handler.url();
    expect(handlerErrors).toEqual([]);
    await phone.close();

    // the admin suspends the case from the same task page (reason required) and resumes it
    const adminAgain = await env.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const admin2 = await adminAgain.newPage();
    const admin2Errors = trackPageErrors(admin2);
    onTestFailed(() => (admin2.isClosed() ? undefined : screenshot(admin2, 'failed-workflow-instance-admin')));
    await logIn(admin2, 'admin');
    await admin2.goto(taskUrl);
    await admin2.getByTestId('instance-admin').waitFor();
    expect(await admin2.getByTestId('instance-op-resume').count()).toBe(0);
    await admin2.getByTestId('instance-op-suspend').click();
    await admin2.getByTestId('instance-op-reason').fill('申请人申请暂缓办理');
    await admin2.getByTestId('instance-op-submit').click();
    await admin2.getByText('挂起成功').waitFor();
    await admin2.getByText('已挂起', { exact: true }).waitFor();
    await admin2.getByTestId('instance-op-resume').waitFor();
    await screenshot(admin2, 'workflow-instance-suspended-zh');
    await admin2.getByTestId('instance-op-resume').click();
    await admin2.getByTestId('instance-op-reason').fill('申请人要求继续办理');
    await admin2.getByTestId('instance-op-submit').click();
    await admin2.getByTestId('instance-op-suspend').waitFor();
    await admin2.getByText('流转中', { exact: true }).waitFor();
    expect(admin2Errors).toEqual([]);
    await adminAgain.close();
  });
});
