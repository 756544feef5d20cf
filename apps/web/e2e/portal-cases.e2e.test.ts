/**
 * The applicant's side of cases (issue #6) in real Chromium against the real server, on a
 * 390×844 phone: sign in with an SMS code (read from the outbox through the admin API, as the
 * embedded default stores every message there; a wrong code first), complete the profile (a
 * credit code with a wrong check character first), apply online for 农用地转用和土地征收审批 at
 * 武昌区 from its service guide, fill the form rendered from the matter's schema, upload the
 * real coordinate file (../shared/testdata/coordfiles, 5 parcels, parses cleanly) and small
 * PDFs (some through a ZIP package), watch the problem list empty, submit, and find the case in
 * 我的办件. Then the 武昌区 window accepts it through the API, and the applicant sees the number,
 * the acceptance notice and its clocks, queries the progress with the query code (a wrong code
 * first: one neutral sentence) and verifies the notice's code.
 */
import path from 'node:path';
import { testdataDir } from '../../../packages/spatial/test/testdata.ts';
import { readFileSync } from 'node:fs';
import { describe, expect, it, onTestFailed } from 'vitest';
import type { Page } from 'playwright-core';
import { pdfBytes, zipBytes } from '../../server/src/modules/blobs/test-files.ts';
import { REQUIRED_PDFS } from '../../server/src/modules/cases/test-materials.ts';
import { screenshot, trackPageErrors } from './browser.ts';
import { journeyEnvironment } from './journey.ts';
import { staffApi, staffLogin, type StaffSession } from './staff-cases.ts';

// 01_Windr07…: GBK, 5 parcels, no warnings or errors (`guotu coords check --json`); 16,693.30 m²
const coordinateFile = path.join(testdataDir, 'coordfiles/01_Windr07_Txt-ShpConverter_SampleData.txt');
const phone = '13912345678';
// a unified social credit code with a valid GB 32100-2015 check character (R), and one without
const creditCode = '91420106MA4K3B7Q1R';
const badCreditCode = '91420106MA4K3B7Q1A';

const env = journeyEnvironment();

/** The newest login code SMS to the phone, from the outbox (admin API). */
async function readLoginCode(admin: StaffSession): Promise<string> {
  const outbox = await staffApi<{ items: Array<{ address: string | null; body: string; createdAt: string }> }>(
    admin,
    'GET',
    '/notifications/outbox?event=applicant.login_code&channel=sms&limit=20',
  );
  const message = outbox.items.find((m) => m.address === phone);
  const code = message ? /(\d{6})/.exec(message.body)?.[1] : undefined;
  if (!code) throw new Error(`no login code for ${phone} in the outbox: ${JSON.stringify(outbox.items)}`);
  return code;
}

async function noSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
}

async function confirmPopover(page: Page): Promise<void> {
  await page
    .locator('.ant-popover:not(.ant-popover-hidden)')
    .getByRole('button', { name: /^确\s?定$/ })
    .click();
}

async function upload(page: Page, materialKey: string, name: string, buffer: Buffer, mimeType: string) {
  const slot = page.getByTestId(`material-${materialKey}`);
  await slot.locator('input[type=file]').setInputFiles({ name, mimeType, buffer });
  await slot.getByRole('link', { name }).waitFor();
}

describe('applicant on the portal', () => {
  it('signs in by SMS, applies online with the coordinate file and PDFs, submits, and follows the case', async () => {
    const context = await env.browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
    });
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    onTestFailed(() => screenshot(page, 'failed-portal-cases'));
    const admin = await staffLogin(env.server.baseUrl, 'admin');

    // 在线申报 from the service guide sends a visitor to the sign-in page first
    await page.goto(`${env.server.baseUrl}/portal/guides/land-conversion-expropriation`);
    await page.getByRole('heading', { name: '农用地转用和土地征收审批' }).waitFor();
    await page.getByTestId('apply-online').click();
    await page.getByTestId('signin-phone').waitFor();
    expect(new URL(page.url()).pathname).toBe('/portal/signin');

    await page.getByTestId('signin-phone').fill(phone);
    await page.getByTestId('send-code').click();
    await page.getByTestId('code-sent').waitFor();
    expect(await page.getByTestId('send-code').textContent()).toMatch(/\d+ 秒后重发/);
    const code = await readLoginCode(admin);
    const wrong = code.replace(/^./, (d) => String((Number(d) + 1) % 10));
    await page.getByTestId('signin-code').fill(wrong);
    await page.getByTestId('signin-submit').click();
    await page.getByText('验证码错误或已失效，请核对或重新获取').waitFor();
    await page.getByTestId('signin-code').fill(code);
    await page.getByTestId('signin-submit').click();

    // a new account completes its profile first; the server checks the credit code's check character
    await page.getByTestId('profile-save').waitFor();
    expect(new URL(page.url()).pathname).toBe('/portal/profile');
    await page.getByTestId('profile-name').fill('武汉国土测试置业有限公司');
    await page.getByTestId('profile-credit-code').fill(badCreditCode);
    await page.getByTestId('profile-save').click();
    await page.getByText('统一社会信用代码不正确（校验码不符），请核对').waitFor();
    await screenshot(page, 'portal-profile-error');
    await page.getByTestId('profile-credit-code').fill(creditCode);
    await page.getByTestId('profile-save').click();

    // back on the way to the application: the county from the division tree
    await page.getByTestId('apply-create').waitFor();
    expect(new URL(page.url()).pathname).toBe('/portal/apply/land-conversion-expropriation');
    expect(await page.getByTestId('applicant-menu').textContent()).toContain('武汉国土测试置业有限公司');
    await page.locator('#divisionCode').click();
    await page.locator('.ant-cascader-menu-item', { hasText: '湖北省' }).click();
    await page.locator('.ant-cascader-menu-item', { hasText: '武汉市' }).click();
    await page.locator('.ant-cascader-menu-item', { hasText: '武昌区' }).click();
    await page.getByTestId('apply-title').fill('武昌区2026年度第1批次城市建设用地');
    await screenshot(page, 'portal-apply');
    await page.getByTestId('apply-create').click();

    // the editor: problems before anything is filled in, submit disabled
    await page.getByTestId('case-form').waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/portal\/cases\/\d+$/);
    const caseId = Number(new URL(page.url()).pathname.split('/').pop());
    await page.getByTestId('case-problems').waitFor();
    expect(await page.locator('[data-testid=case-problem][data-severity=error]').count()).toBeGreaterThan(3);
    expect(await page.getByTestId('case-submit').isDisabled()).toBe(true);
    await noSidewaysScroll(page);
    await screenshot(page, 'portal-case-problems');

    // a problem leads to its material
    await page.getByTestId('case-problem').filter({ hasText: '勘测定界界址点坐标文件' }).first().click();
    await page.getByTestId('material-boundaryCoordinates').waitFor();

    // the form from the matter's JSON Schema (the county was filled in at creation)
    expect(await page.locator('#countyDivisionCode').count()).toBe(1);
    await page.locator('#projectName').fill('武昌区2026年度第1批次城市建设用地');
    await page.locator('#batchType').click();
    await page.locator('.ant-select-item-option', { hasText: '城市批次建设用地' }).click();
    // a total area the coordinate file will contradict
    await page.locator('#totalArea').fill('2.5');
    await page.locator('#agriculturalArea').fill('1.2');
    await page.locator('#cultivatedArea').fill('0.8');
    await page.getByTestId('case-save').click();
    await page.getByText('已保存').waitFor();

    // materials: the coordinate file, PDFs one by one, two through a ZIP package
    await upload(page, 'boundaryCoordinates', '界址点坐标.txt', readFileSync(coordinateFile), 'text/plain');
    await page.getByTestId('case-parcel').waitFor();
    expect(await page.getByTestId('parcel-total').textContent()).toContain('16,693.3');
    const mismatch = page.locator('[data-testid=case-problem][data-code=AREA_MISMATCH]');
    await mismatch.waitFor();
    await mismatch.click();
    await page.locator('#totalArea').fill('1.6693');
    await page.getByTestId('case-save').click();
    await mismatch.waitFor({ state: 'detached' });
    // every required PDF but the two maps, which arrive in the ZIP below
    for (const key of REQUIRED_PDFS.filter((k) => k !== 'planMap' && k !== 'landUseMap'))
      await upload(page, key, `${key}.pdf`, pdfBytes(key), 'application/pdf');
    const zip = zipBytes({
      'planMap/规划图.pdf': pdfBytes('plan map').toString('latin1'),
      'landUseMap/现状图.pdf': pdfBytes('land use map').toString('latin1'),
      '说明.txt': '这份说明不属于任何材料',
    });
    await page
      .getByTestId('case-package')
      .locator('input[type=file]')
      .setInputFiles({ name: '材料包.zip', mimeType: 'application/zip', buffer: zip });
    const report = page.getByTestId('package-report');
    await report.waitFor();
    expect(await report.textContent()).toContain('已归入 2 个文件');
    expect(await report.textContent()).toContain('说明.txt');
    await page.getByTestId('material-planMap').getByRole('link', { name: '规划图.pdf' }).waitFor();

    // no errors left: the submit button opens
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=case-problem][data-severity=error]').length === 0,
    );
    expect(await page.getByTestId('case-submit').isDisabled()).toBe(false);
    await noSidewaysScroll(page);
    await screenshot(page, 'portal-case-ready');
    await page.getByTestId('case-submit').click();
    await confirmPopover(page);
    await page.locator('[data-testid=case-status][data-status=submitted]').waitFor();
    expect(await page.getByTestId('case-submit').count()).toBe(0);
    await page.getByTestId('case-timeline').getByText('提交申报').waitFor();
    await page.locator('[data-testid=case-clock][data-purpose=acceptance]').waitFor();

    // 我的办件
    await page.getByRole('menuitem', { name: '我的办件' }).click();
    const row = page.locator(`[data-testid=my-case][data-id="${caseId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('已提交（待受理）');
    expect(await row.textContent()).toContain('武昌区2026年度第1批次城市建设用地');
    await noSidewaysScroll(page);
    await screenshot(page, 'portal-my-cases');

    // the 武昌区 window asks for a supplement (through the API): the one list, the clock paused
    const clerk = await staffLogin(env.server.baseUrl, 'wuchang.window');
    const submitted = await staffApi<{ version: number }>(clerk, 'GET', `/cases/${caseId}`);
    await staffApi(clerk, 'POST', `/cases/${caseId}/request-supplement`, {
      version: submitted.version,
      items: [{ materialKey: 'projectApproval', message: '请补充建设项目批准文件' }],
      note: '补正后重新提交',
    });
    await row.getByRole('link').click();
    await page.locator('[data-testid=case-status][data-status=supplementRequested]').waitFor();
    const supplement = page.getByTestId('supplement-notice');
    expect(await supplement.textContent()).toContain('请补充建设项目批准文件');
    expect(await supplement.textContent()).toContain('建设项目批准、核准或者备案文件');
    await page.locator('[data-testid=case-clock][data-purpose=acceptance][data-state=paused]').waitFor();
    await upload(page, 'projectApproval', '项目批准文件.pdf', pdfBytes('approval'), 'application/pdf');
    expect(await page.getByTestId('material-projectApproval').textContent()).toContain('第 1 次补正');
    await noSidewaysScroll(page);
    await screenshot(page, 'portal-case-supplement');
    expect(await page.getByTestId('case-submit').textContent()).toMatch(/提交补正/);
    await page.getByTestId('case-submit').click();
    await confirmPopover(page);
    await page.locator('[data-testid=case-status][data-status=submitted]').waitFor();
    await page.getByTestId('case-timeline').getByText('提交补正材料').waitFor();
    await page.getByRole('menuitem', { name: '我的办件' }).click();
    await row.waitFor();

    // the window accepts (through the API): number, query code, 受理通知书
    const before = await staffApi<{ version: number }>(clerk, 'GET', `/cases/${caseId}`);
    const accepted = await staffApi<{ case: { caseNumber: string }; queryCode: string }>(
      clerk,
      'POST',
      `/cases/${caseId}/accept`,
      { version: before.version },
    );
    expect(accepted.case.caseNumber).toMatch(/^420106-\d{4}-\d{6}$/);

    await row.getByRole('link').click();
    await page.locator('[data-testid=case-status][data-status=inReview]').waitFor();
    expect(await page.getByTestId('case-number').textContent()).toBe(accepted.case.caseNumber);
    const notice = page.getByTestId('document-link').filter({ hasText: '受理通知书' });
    await notice.waitFor();
    const pdf = await page.request.get(`${env.server.baseUrl}${await notice.getAttribute('href')}`);
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const verification =
      (await page
        .getByTestId('case-documents')
        .getByRole('row', { name: /受理通知书/ })
        .locator('a[href^="/portal/verify"]')
        .textContent()) ?? '';
    expect(verification).toMatch(/^[23456789A-HJKMNP-Z]{16}$/);
    await screenshot(page, 'portal-case-accepted');

    // progress query: a wrong code gets the one neutral sentence, the right one the steps and clocks
    await page.getByRole('menuitem', { name: '进度查询' }).click();
    await page.locator('#caseNumber').fill(accepted.case.caseNumber);
    const wrongCode = accepted.queryCode.replace(/^./, (c) => (c === '2' ? '3' : '2'));
    await page.locator('#queryCode').fill(wrongCode);
    await page.getByTestId('progress-submit').click();
    expect(await page.getByTestId('progress-not-found').textContent()).toContain('办件编号或查询码不正确');
    await page.locator('#queryCode').fill(accepted.queryCode);
    await page.getByTestId('progress-submit').click();
    const progress = page.getByTestId('progress-result');
    await progress.waitFor();
    expect(await progress.textContent()).toContain('已受理（审查中）');
    await progress.locator('[data-testid=case-clock]').first().waitFor();
    await noSidewaysScroll(page);
    await screenshot(page, 'portal-progress');

    // the notice's verification code
    await page.goto(`${env.server.baseUrl}/portal/verify?code=${verification}`);
    const valid = page.getByTestId('verify-valid');
    await valid.waitFor();
    expect(await valid.textContent()).toContain('受理通知书');
    expect(await valid.textContent()).toContain(accepted.case.caseNumber);
    await page.getByTestId('verify-code').fill('ABCDEFGHJKMNPQRS');
    await page.getByTestId('verify-submit').click();
    await page.getByTestId('verify-invalid').waitFor();

    // sign out: my cases need a sign-in again
    await page.getByTestId('applicant-menu').click();
    await page.getByRole('menuitem', { name: '退出登录' }).click();
    await page.getByTestId('applicant-signin').waitFor();
    await page.goto(`${env.server.baseUrl}/portal/cases`);
    await page.getByTestId('signin-phone').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
