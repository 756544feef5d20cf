/**
 * What the case journeys share: staff calls to the real server's API (a signed-in session with
 * its CSRF token), the required materials of 农用地转用和土地征收审批, and a window case at 武昌区
 * accepted through the API, so a journey can start at the step it is about.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { testdataDir } from '../../../packages/spatial/test/testdata.ts';
import { pdfBytes } from '../../server/src/modules/blobs/test-files.ts';
import { REQUIRED_PDFS } from '../../server/src/modules/cases/test-materials.ts';
import { demoPassword } from './browser.ts';

export { pdfBytes };

/** The required materials of 农用地转用和土地征收审批 besides the coordinate file (the server tests' list). */
export { REQUIRED_PDFS as requiredPdfs };

export interface StaffSession {
  baseUrl: string;
  cookie: string;
  csrf: string;
}

export async function staffLogin(baseUrl: string, username: string, password = demoPassword): Promise<StaffSession> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200) throw new Error(`login ${username} → ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { csrfToken: string };
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { baseUrl, cookie, csrf: body.csrfToken };
}

/** A JSON call (or a multipart one, with a FormData body) under /api/v1; throws on any non-2xx. */
export async function staffApi<T>(session: StaffSession, method: string, apiPath: string, body?: unknown): Promise<T> {
  const multipart = body instanceof FormData;
  const response = await fetch(`${session.baseUrl}/api/v1${apiPath}`, {
    method,
    headers: {
      cookie: session.cookie,
      'x-csrf-token': session.csrf,
      ...(body === undefined || multipart ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : multipart ? body : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${apiPath} → ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

// 01_Windr07…: 5 parcels, no warnings or errors; 16,693.30 m² = 1.6693 ha (portal-cases declares it too)
const coordinateFile = path.join(testdataDir, 'coordfiles/01_Windr07_Txt-ShpConverter_SampleData.txt');
const coordinateAreaHa = 1.6693;

/**
 * A window intake of 农用地转用和土地征收审批 at 武昌区 with every required material, submitted and
 * accepted through the API by `clerk` (a 武昌区 window clerk): the case is `inReview`.
 */
export async function acceptedWindowCase(
  clerk: StaffSession,
  title: string,
): Promise<{ id: number; caseNumber: string }> {
  const created = await staffApi<{ id: number }>(clerk, 'POST', '/cases', {
    matterCode: 'land-conversion-expropriation',
    divisionCode: '420106',
    applicant: { name: '武昌区某街道办事处', phone: '13912340088' },
    form: {
      projectName: title,
      batchType: '城市批次建设用地',
      countyDivisionCode: '420106',
      totalArea: coordinateAreaHa,
      agriculturalArea: 1,
      cultivatedArea: 0.5,
    },
  });
  const upload = async (materialKey: string, name: string, bytes: Buffer, type: string) => {
    const form = new FormData();
    form.append('materialKey', materialKey);
    form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
    await staffApi(clerk, 'POST', `/cases/${created.id}/materials`, form);
  };
  for (const key of REQUIRED_PDFS) await upload(key, `${key}.pdf`, pdfBytes(key), 'application/pdf');
  await upload('boundaryCoordinates', '界址点坐标.txt', readFileSync(coordinateFile), 'text/plain');
  const draft = await staffApi<{ version: number }>(clerk, 'GET', `/cases/${created.id}`);
  const submitted = await staffApi<{ case: { version: number } }>(clerk, 'POST', `/cases/${created.id}/submit`, {
    version: draft.version,
  });
  const accepted = await staffApi<{ case: { caseNumber: string } }>(clerk, 'POST', `/cases/${created.id}/accept`, {
    version: submitted.case.version,
  });
  return { id: created.id, caseNumber: accepted.case.caseNumber };
}
