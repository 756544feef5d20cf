/**
 * The staff side of a case (issue #6) in real Chromium against the real server: the Wuchang
 * county window takes in a 农用地转用和土地征收审批 on an applicant's behalf (a real coordinate
 * file, PDFs for the required materials, a wrong area first), submits, asks for a supplement
 * in one list, the supplement arrives through the API, the window accepts and sees the case
 * number and query code once; then the remote submission runs through the case page's task
 * buttons: county handler submits up → Wuhan city forwards → province window → 耕保处 and 用地处
 * review → 用地处处长 consolidates → the leader approves on a 390×844 phone → the window issues
 * and archives, and the archive ZIP downloads.
 */
import path from 'node:path';
import { testdataDir } from '../../../packages/spatial/test/testdata.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, logIn, screenshot, trackPageErrors } from './browser.ts';
import { e2eEngines, ensureWebBuild, startServer, type RunningServer } from './server.ts';
import { pdfBytes, requiredPdfs } from './staff-cases.ts';

// A Foshan parcel in the ministry's boundary-coordinate exchange format (SOURCES.md there):
// one parcel, 87,422.5 m² computed, 8.7423 ha declared; it parses with two warnings and no error.
const coordinateFile = path.join(testdataDir, 'coordfiles/03_edcfoshan_polygon-txt_44120000105.txt');
let server: RunningServer;
let browser: Browser;
let files: string;

beforeAll(async () => {
  ensureWebBuild();
  browser = await launchBrowser();
  files = mkdtempSync(join(tmpdir(), 'guotu-case-e2e-'));
  for (const key of requiredPdfs) writeFileSync(join(files, `${key}.pdf`), pdfBytes(`Guotu ${key}`));
  writeFileSync(join(files, 'planMap-v2.pdf'), pdfBytes('Guotu planMap corrected'));
});

afterAll(async () => {
  await browser?.close();
  if (files) rmSync(files, { recursive: true, force: true });
});

interface Session {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

async function signIn(username: string, viewport = { width: 1440, height: 1000 }): Promise<Session> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', acceptDownloads: true });
  const page = await context.newPage();
  const errors = trackPageErrors(page);
  // a closed session's page cannot be photographed any more
  onTestFailed(() => (page.isClosed() ? undefined : screenshot(page, `failed-case-staff-${username}`)));
  await logIn(page, server.baseUrl, username);
  return { context, page, errors };
}

async function close(session: Session): Promise<void> {
  expect(session.errors).toEqual([]);
  await session.context.close();
}

/** Opens the case page and waits for its status. */
async function openCase(page: Page, id: number, status: string): Promise<void> {
  await page.goto(`${server.baseUrl}/console/cases/${id}`);
  await page.locator(`[data-testid="case-status"][data-status="${status}"]`).first().waitFor();
}

/** Completes the open task of `node` on the case page with an opinion. */
async function completeStep(page: Page, node: string, opinion: string): Promise<void> {
  const card = page.locator(`[data-testid="case-task"][data-node="${node}"]`);
  await card.getByTestId('op-complete').waitFor();
  await card.getByTestId('task-opinion').fill(opinion);
  await card.getByTestId('op-complete').click();
  await card.waitFor({ state: 'detached' });
}

// On the embedded database, and on PostgreSQL too when DATABASE_URL is set (issue 6: "all of it also on PostgreSQL").
describe.each(e2eEngines)('case staff journey on %s', (engine) => {
  beforeAll(async () => {
    server = await startServer({ engine });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('window intake → supplement → accept → county, city, province review → leader on a phone → issue → archive', async () => {
    // ── the Wuchang county window takes the application in ──
    const county = await signIn('wuchang.window');
    let page = county.page;
    await page.getByRole('menuitem', { name: '收件受理' }).click();
    await page.getByTestId('page-title').filter({ hasText: '收件受理' }).waitFor();
    await page.getByTestId('intake-new').click();
    const intake = page.getByTestId('intake-modal');
    await intake.getByTestId('intake-matter').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '农用地转用和土地征收审批' }).click();
    await intake.getByTestId('intake-applicant').fill('武昌区人民政府');
    await intake.getByTestId('intake-phone').fill('13912340001');
    await intake.getByTestId('intake-title').fill('武昌区2026年度第1批次城市建设用地');
    await page.getByTestId('intake-create').click();
    await page.getByTestId('case-editor').waitFor();
    const caseId = Number(/\/console\/cases\/(\d+)/.exec(page.url())?.[1]);
    expect(caseId).toBeGreaterThan(0);
    await page.locator('[data-testid="case-status"][data-status="draft"]').waitFor();

    // nothing attached yet: the problem list names every missing required material
    const problems = page.getByTestId('problems');
    await problems.getByText('勘测定界界址点坐标文件（电子报盘）').first().waitFor();

    // materials one by one, each landing on its slot
    for (const key of requiredPdfs) {
      await page
        .getByTestId(`material-${key}`)
        .locator('input[type=file]')
        .setInputFiles(join(files, `${key}.pdf`));
      await page.getByTestId(`material-${key}`).getByText(`${key}.pdf`).waitFor();
    }
    await page.getByTestId('material-boundaryCoordinates').locator('input[type=file]').setInputFiles(coordinateFile);
    await page.getByTestId('material-boundaryCoordinates').getByTestId('material-file').waitFor();

    // the form, with a total area that does not match the coordinate file
    await page.getByTestId('form-projectName').fill('武昌区2026年度第1批次城市建设用地');
    await page.getByTestId('form-batchType').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '城市批次建设用地' }).click();
    await page.getByTestId('form-countyDivisionCode').fill('420106');
    await page.getByTestId('form-totalArea').fill('9.5');
    await page.getByTestId('form-agriculturalArea').fill('8');
    await page.getByTestId('form-cultivatedArea').fill('5');
    await page.getByTestId('case-save').click();
    const mismatch = problems.locator('[data-testid="problem"]').filter({ hasText: '超出允许误差' });
    await mismatch.waitFor();
    await screenshot(page, 'case-intake-problems');

    // corrected: no error remains (the coordinate file's warnings may stay)
    await page.getByTestId('form-totalArea').fill('8.7423');
    await page.getByTestId('case-save').click();
    await mismatch.waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid="problem"][data-severity="error"]').count()).toBe(0);
    await page.getByTestId('case-submit').click();
    await page.locator('[data-testid="case-status"][data-status="submitted"]').first().waitFor();

    // the acceptance list shows it with its acceptance clock
    await page.getByRole('menuitem', { name: '收件受理' }).click();
    const waiting = page.getByTestId('intake-submitted');
    const waitingRow = waiting.locator(`[data-case-id="${caseId}"]`);
    await waitingRow.waitFor();
    expect(await waitingRow.getByTestId('case-clock').getAttribute('data-state')).toBe('normal');
    await waitingRow.getByTestId('case-link').click();

    // ── 补正: one complete list ──
    await page.getByTestId('action-requestSupplement').click();
    const supplement = page.getByTestId('supplement-form');
    await supplement.getByText('标注拟用地位置的国土空间规划图（土地利用总体规划图）').click();
    await supplement.getByTestId('supplement-message').fill('规划图未标注拟用地位置，请重新出图');
    await page.getByTestId('supplement-submit').click();
    await page.locator('[data-testid="case-status"][data-status="supplementRequested"]').first().waitFor();
    const clock = page.getByTestId('case-clock').first();
    expect(await clock.getAttribute('data-state')).toBe('paused');

    // the applicant's corrected plan map arrives (through the API, as the portal would send it)
    const corrected = readFileSync(join(files, 'planMap-v2.pdf')).toString('base64');
    const resubmitted = await page.evaluate(
      async ({ id, pdf }) => {
        const session = (await (await fetch('/api/v1/auth/session')).json()) as { csrfToken: string };
        const headers = { 'x-csrf-token': session.csrfToken };
        const bytes = Uint8Array.from(atob(pdf), (c) => c.charCodeAt(0));
        const form = new FormData();
        form.append('materialKey', 'planMap');
        form.append('file', new Blob([bytes], { type: 'application/pdf' }), 'planMap-v2.pdf');
        const upload = await fetch(`/api/v1/cases/${id}/materials`, { method: 'POST', headers, body: form });
        if (!upload.ok) return `upload ${upload.status} ${await upload.text()}`;
        const detail = (await (await fetch(`/api/v1/cases/${id}`)).json()) as { version: number };
        const submit = await fetch(`/api/v1/cases/${id}/submit`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ version: detail.version }),
        });
        return submit.ok ? 'ok' : `submit ${submit.status} ${await submit.text()}`;
      },
      { id: caseId, pdf: corrected },
    );
    expect(resubmitted).toBe('ok');

    // ── 受理: the number and the query code, once ──
    await openCase(page, caseId, 'submitted');
    // the corrected plan map is round 2; it previews inline (a PDF in an iframe)
    await page.getByRole('tab', { name: '材料' }).click();
    const planMap = page.getByTestId('material-planMap');
    await planMap.getByText('planMap-v2.pdf').waitFor();
    await planMap.getByTestId('material-preview-open').last().click();
    const preview = page.getByTestId('preview-pdf');
    await preview.waitFor();
    expect(await preview.getAttribute('src')).toMatch(/^blob:/);
    await page.getByTestId('material-preview').getByRole('button', { name: 'Close' }).click();
    await page.getByTestId('action-accept').click();
    await page.getByTestId('accept-submit').click();
    const accepted = page.getByTestId('accepted-dialog');
    const caseNumber = (await accepted.getByTestId('accepted-case-number').innerText()).trim();
    expect(caseNumber).toMatch(/^420106-\d{4}-\d{6}$/);
    const queryCode = (await accepted.getByTestId('accepted-query-code').innerText()).trim();
    expect(queryCode).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/);
    await accepted.getByText('短信').waitFor();
    await screenshot(page, 'case-accepted');
    await accepted.getByRole('button', { name: /确\s?定/ }).click();
    await page.locator('[data-testid="case-status"][data-status="inReview"]').first().waitFor();
    await page.getByTestId('case-number').filter({ hasText: caseNumber }).waitFor();

    // the county handler (the same clerk) reviews and submits up
    await completeStep(page, 'countyReview', '经审查，材料齐全，符合报批条件，同意上报。');
    await page.locator('[data-testid="case-tier"]').filter({ hasText: '市级' }).waitFor();
    await close(county);

    // ── Wuhan city: finds the case in 办件查询 and forwards it ──
    const city = await signIn('wuhan.handler');
    page = city.page;
    await page.getByRole('menuitem', { name: '办件查询' }).click();
    await page.getByTestId('filter-q').fill(caseNumber);
    await page.getByTestId('filter-q').press('Enter');
    const row = page.getByTestId('case-table').locator(`[data-case-id="${caseId}"]`);
    await row.waitFor();
    // the filtered list settles on this one case (a count taken at once may still see the unfiltered list)
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="case-table"] [data-testid="case-row"]').length === 1,
    );
    await row.getByTestId('case-link').click();
    await page.locator('[data-testid="case-status"][data-status="inReview"]').first().waitFor();
    await completeStep(page, 'cityReview', '市局审查同意，转报省厅。');
    await page.locator('[data-testid="case-tier"]').filter({ hasText: '省级' }).waitFor();
    await close(city);

    // ── province: window receives, two offices review, the lead office consolidates ──
    const steps: Array<[string, string, string]> = [
      ['window', 'provinceAccept', '省厅窗口已接收报件。'],
      ['reviewer', 'reviewFarmland', '耕地占补平衡已落实，同意。'],
      ['handler', 'reviewLandUse', '符合国土空间规划和年度计划，同意。'],
      ['officehead', 'consolidate', '汇总意见：各处室审查同意，建议批准。'],
    ];
    for (const [user, node, opinion] of steps) {
      const session = await signIn(user);
      await openCase(session.page, caseId, 'inReview');
      await completeStep(session.page, node, opinion);
      await close(session);
    }

    // ── the leader signs off on a phone ──
    const leader = await signIn('leader', { width: 390, height: 844 });
    page = leader.page;
    await openCase(page, caseId, 'inReview');
    await page.getByTestId('case-phone').waitFor();
    await page.getByTestId('key-figures').getByText('8.7423', { exact: true }).waitFor();
    await page.getByTestId('case-opinions').getByText('汇总意见：各处室审查同意，建议批准。').waitFor();
    const approve = page.locator('[data-testid="case-task"][data-node="approve"]');
    // the radio input is hidden inside its button-styled label: press the label
    await approve.getByTestId('decision-approve').locator('xpath=ancestor::label').click();
    expect(await approve.getByTestId('decision-approve').isChecked()).toBe(true);
    await approve.getByTestId('task-opinion').fill('同意。');
    const button = approve.getByTestId('op-complete');
    const box = await button.boundingBox();
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
    expect(box?.width ?? 0).toBeGreaterThanOrEqual(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'case-leader-phone');
    await button.click();
    await approve.waitFor({ state: 'detached' });
    await page.locator('[data-testid="case-decision"]').filter({ hasText: '准予' }).waitFor();
    await close(leader);

    // ── the province window issues, archives and downloads the archive ──
    const provinceWindow = await signIn('window');
    page = provinceWindow.page;
    await openCase(page, caseId, 'decided');
    await completeStep(page, 'issue', '已发文。');
    await page.locator('[data-testid="case-status"][data-status="issued"]').first().waitFor();
    await page.getByTestId('document-number').waitFor();
    await page.getByRole('tab', { name: '文书' }).click();
    await page.getByTestId('case-documents').getByText('批复').waitFor();
    await page.getByTestId('action-archive').click();
    await page.getByRole('button', { name: /确\s?定/ }).click();
    await page.locator('[data-testid="case-status"][data-status="archived"]').first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('archive-download').click()]);
    const zip = readFileSync(await download.path());
    expect(zip.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(zip.includes(Buffer.from('manifest.json'))).toBe(true);

    // history: the journey's steps with their tiers and opinions
    await page.getByRole('tab', { name: '流转记录' }).click();
    const events = page.getByTestId('case-events');
    for (const type of ['submitted', 'supplementRequested', 'resubmitted', 'accepted', 'decided', 'issued', 'archived'])
      await events.locator(`[data-type="${type}"]`).first().waitFor();
    await events.getByText('市局审查同意，转报省厅。').waitFor();
    await page.getByRole('tab', { name: '时限' }).click();
    await page.getByTestId('case-clocks').getByText('受理时限').waitFor();
    await screenshot(page, 'case-archived');
    await close(provinceWindow);
  });
});
